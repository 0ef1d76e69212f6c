using System.Security.Cryptography;

namespace Dione.Libp2p.Identity;

/// <summary>
/// A platform key object (RSA, ECDsa) created on first use and then reused, because creating one costs hundreds of
/// microseconds. Uses are serialised with a lock: the platform classes do not promise thread safety.
/// A creation failure is remembered and rethrown on every use.
/// </summary>
internal sealed class NativeKey<T>
    where T : AsymmetricAlgorithm
{
    private readonly Lazy<T> _key;
    private readonly Lock _gate = new();

    public NativeKey(Func<T> create) => _key = new Lazy<T>(create, LazyThreadSafetyMode.ExecutionAndPublication);

    public TResult Use<TResult>(Func<T, TResult> operation)
    {
        lock (_gate)
        {
            return operation(_key.Value);
        }
    }
}
