using System.Collections.Concurrent;

namespace Dione.Kademlia.Tests.TestSupport;

/// <summary>A dictionary-backed <see cref="IProviderStore"/> for tests; a provider added again replaces its entry.</summary>
internal sealed class InMemoryProviderStore : IProviderStore
{
    private readonly ConcurrentDictionary<string, List<KadPeer>> _providers = new();

    public int KeyCount => _providers.Count;

    /// <summary>Raised after a provider was stored.</summary>
    public event Action<byte[], KadPeer>? Added;

    public Task AddAsync(byte[] key, KadPeer provider, CancellationToken cancellationToken)
    {
        var list = _providers.GetOrAdd(Convert.ToHexString(key), _ => []);
        lock (list)
        {
            list.RemoveAll(p => p.PeerId == provider.PeerId);
            list.Add(provider);
        }
        Added?.Invoke(key, provider);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<KadPeer>> GetAsync(byte[] key, int max, CancellationToken cancellationToken)
    {
        if (!_providers.TryGetValue(Convert.ToHexString(key), out var list))
        {
            return Task.FromResult<IReadOnlyList<KadPeer>>([]);
        }
        lock (list)
        {
            return Task.FromResult<IReadOnlyList<KadPeer>>([.. list.Take(max)]);
        }
    }
}
