using Dione.Libp2p.Identity;

namespace Dione.Kademlia.Tests.TestSupport;

/// <summary>Cheap, seeded peer ids (sha2-256 multihashes of random digests, as RSA peer ids look).</summary>
internal static class RandomPeers
{
    public static PeerId Next(Random random)
    {
        var bytes = new byte[34];
        bytes[0] = 0x12;
        bytes[1] = 0x20;
        random.NextBytes(bytes.AsSpan(2));
        return PeerId.FromBytes(bytes);
    }

    public static List<PeerId> Many(int seed, int count)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Next(random))];
    }
}
