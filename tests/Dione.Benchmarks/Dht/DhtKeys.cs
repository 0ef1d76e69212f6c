using Dione.Kademlia;

namespace Dione.Benchmarks.Dht;

/// <summary>Seeded lookup keys: the FIND_NODE key is hashed by the receiver, so any bytes serve.</summary>
internal static class DhtKeys
{
    private const int MaxTries = 1 << 22;

    public static byte[] Random(Random random)
    {
        var key = new byte[KadId.Length];
        random.NextBytes(key);
        return key;
    }

    /// <summary>A key whose id has exactly <paramref name="cpl"/> leading bits in common with <paramref name="local"/>, or null.</summary>
    public static byte[]? InBucket(KadId local, int cpl, Random random)
    {
        var key = new byte[KadId.Length];
        for (var i = 0; i < MaxTries; i++)
        {
            random.NextBytes(key);
            if (KadId.FromKey(key).CommonPrefixLength(local) == cpl)
            {
                return key;
            }
        }
        return null;
    }
}
