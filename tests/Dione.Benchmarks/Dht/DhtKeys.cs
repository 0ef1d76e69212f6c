using Dione.Kademlia;

namespace Dione.Benchmarks.Dht;

/// <summary>Seeded lookup keys: the FIND_NODE key is hashed by the receiver, so any bytes serve.</summary>
internal static class DhtKeys
{
    public static byte[] Random(Random random)
    {
        var key = new byte[KadId.Length];
        random.NextBytes(key);
        return key;
    }
}
