using Dione.Kademlia;

namespace Dione.Benchmarks.Dht;

/// <summary>
/// Refresh keys for the simulation, from Dione.Kademlia's precomputed prefix table (as go-libp2p-kbucket's), so a
/// refresh picks a key in any bucket up to CPL 15 without hashing guesses: the simulation refreshes 1,000 tables
/// twice, which brute force would make its largest cost. Seeded by the caller's <see cref="Random"/>.
/// </summary>
internal sealed class BucketKeyTable
{
    public BucketKeyTable(Random random) => ArgumentNullException.ThrowIfNull(random);

    /// <summary>The deepest CPL this table serves.</summary>
    public static int MaxCpl => BucketKeyGenerator.MaxRefreshableCpl;

    /// <summary>A key (a peer id) whose id shares exactly <paramref name="cpl"/> leading bits with <paramref name="local"/> (cpl ≤ 15).</summary>
    public byte[] InBucket(KadId local, int cpl, Random random) => BucketKeyGenerator.PeerIdInBucket(local, cpl, random).ToBytes();
}
