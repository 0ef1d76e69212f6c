using Dione.Messaging.Crypto;
using Dione.Messaging.Sessions;
using Dione.Messaging.X3dh;
using Dione.Primitives.Crypto;

namespace Dione.Messaging.Tests.Sessions;

/// <summary>Builds Alice/Bob session pairs over random X3DH-like secrets (the X3DH itself is out of scope here).</summary>
internal static class TestSessions
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static X3dhSecrets RandomSecrets(Random random)
    {
        byte[] Key()
        {
            var key = new byte[32];
            random.NextBytes(key);
            return key;
        }
        var ad = new byte[66];
        random.NextBytes(ad);
        return new X3dhSecrets(Key(), Key(), Key(), ad);
    }

    public static (DioneSession Alice, DioneSession Bob) CreatePair(SessionOptions? options = null, Random? random = null, byte[]? intro = null)
    {
        random ??= new Random(1);
        var secrets = RandomSecrets(random);
        var bobPrekey = X25519KeyPair.Generate();
        var alice = DioneSession.InitiateAsAlice(secrets, bobPrekey.PublicKey, options, intro);
        var bob = DioneSession.RespondAsBob(secrets, bobPrekey, options);
        return (alice, bob);
    }

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
