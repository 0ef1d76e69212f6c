using Dione.Kademlia;
using Dione.Libp2p.Identity;

namespace Dione.Benchmarks.Dht;

/// <summary>
/// How a node fills its routing table on joining, as go-libp2p-kad-dht does after connecting to a bootstrap peer: a
/// lookup of its own id, then a refresh of every bucket up to the highest occupied one (a lookup of a random key in
/// it). Who gets into which table is decided by the network (identify, or <see cref="SimulatedKadRpc"/>'s learning).
/// </summary>
internal static class DhtNetworkFormation
{
    public static async Task JoinAsync(IDhtLookup lookup, IKadRpc rpc, PeerId self, RoutingTable table, Random random, CancellationToken cancellationToken)
    {
        await LookupAsync(lookup, rpc, self, table, self.ToBytes(), cancellationToken).ConfigureAwait(false);
        await RefreshAsync(lookup, rpc, self, table, random, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One lookup of a random key in each bucket 0..min(highest occupied, 15).</summary>
    public static async Task RefreshAsync(IDhtLookup lookup, IKadRpc rpc, PeerId self, RoutingTable table, Random random, CancellationToken cancellationToken)
    {
        var highest = Math.Min(Math.Max(table.HighestOccupiedBucket, 0), BucketKeyGenerator.MaxRefreshableCpl);
        for (var cpl = 0; cpl <= highest; cpl++)
        {
            if (DhtKeys.InBucket(table.LocalId, cpl, random) is { } key)
            {
                await LookupAsync(lookup, rpc, self, table, key, cancellationToken).ConfigureAwait(false);
                table.MarkRefreshed(cpl);
            }
        }
    }

    private static Task<LookupOutcome> LookupAsync(IDhtLookup lookup, IKadRpc rpc, PeerId self, RoutingTable table, byte[] key, CancellationToken cancellationToken)
    {
        var seeds = table.NearestPeers(KadId.FromKey(key), table.BucketSize).Select(e => e.PeerId).ToList();
        return lookup.FindClosestPeersAsync(rpc, self, seeds, key, cancellationToken);
    }
}
