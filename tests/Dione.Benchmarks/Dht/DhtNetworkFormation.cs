using Dione.Kademlia;
using Dione.Libp2p.Identity;

namespace Dione.Benchmarks.Dht;

/// <summary>
/// How a node fills its routing table on joining, as go-libp2p-kad-dht does after connecting to a bootstrap peer: a
/// lookup of its own id, then a refresh of every bucket up to the highest occupied one (a lookup of a random key in
/// it). <see cref="KademliaDht"/> does the same in <c>BootstrapAsync</c> and <c>RefreshBucketsAsync</c>; this copy
/// drives the simulated nodes. Who gets into which table is decided by the network (identify, or <see cref="SimulatedKadRpc"/>'s learning).
/// </summary>
internal static class DhtNetworkFormation
{
    public static async Task JoinAsync(IDhtLookup lookup, IKadRpc rpc, PeerId self, RoutingTable table, BucketKeyTable keys, Random random, CancellationToken cancellationToken)
    {
        await LookupAsync(lookup, rpc, self, table, self.ToBytes(), cancellationToken).ConfigureAwait(false);
        await RefreshAsync(lookup, rpc, self, table, keys, random, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One lookup of a random key in each bucket 0..min(highest occupied, 15).</summary>
    public static async Task RefreshAsync(IDhtLookup lookup, IKadRpc rpc, PeerId self, RoutingTable table, BucketKeyTable keys, Random random, CancellationToken cancellationToken)
    {
        var highest = Math.Min(Math.Max(table.HighestOccupiedBucket, 0), Math.Min(BucketKeyGenerator.MaxRefreshableCpl, BucketKeyTable.MaxCpl));
        for (var cpl = 0; cpl <= highest; cpl++)
        {
            await LookupAsync(lookup, rpc, self, table, keys.InBucket(table.LocalId, cpl, random), cancellationToken).ConfigureAwait(false);
            table.MarkRefreshed(cpl);
        }
    }

    private static Task<LookupOutcome> LookupAsync(IDhtLookup lookup, IKadRpc rpc, PeerId self, RoutingTable table, byte[] key, CancellationToken cancellationToken)
    {
        var seeds = table.NearestPeers(KadId.FromKey(key), table.BucketSize).Select(e => e.PeerId).ToList();
        return lookup.FindClosestPeersAsync(rpc, self, seeds, key, cancellationToken);
    }
}
