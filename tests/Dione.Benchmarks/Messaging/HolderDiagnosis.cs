using Dione.Kademlia;
using Dione.Messenger.Node;

namespace Dione.Benchmarks.Messaging;

/// <summary>
/// Why a message did not arrive: which nodes hold its envelope, and which peers the receiver's routing table names as
/// its holders (the peers its polls ask; they make no lookup).
/// </summary>
internal static class HolderDiagnosis
{
    public static async Task<string> DescribeAsync(IReadOnlyList<DioneNode> swarm, DioneNode receiver, byte[] address, int replication, CancellationToken cancellationToken)
    {
        var holding = new HashSet<Dione.Libp2p.Identity.PeerId>();
        foreach (var node in swarm)
        {
            if ((await node.Mailbox.Store.FetchAsync([address], cancellationToken).ConfigureAwait(false)).Count > 0)
            {
                holding.Add(node.Host.PeerId);
            }
        }
        var table = receiver.Mailbox.Overlay.Dht.RoutingTable;
        var target = KadId.FromKey(address);
        var bucket = table.LocalId.CommonPrefixLength(target);
        var asked = receiver.Mailbox.Overlay.KnownHolders(address);
        var known = table.GetAll().Select(e => e.PeerId).ToHashSet();
        return $"held at {holding.Count} nodes ({holding.Count(known.Contains)} of them in the receiver's routing table), "
            + $"{asked.Count(holding.Contains)} of the {asked.Count} the receiver's table names as holders; the address is in its bucket {bucket} "
            + $"({table.GetBucket(bucket).Count} members, {table.GetReplacements(bucket).Count} waiting in the replacement cache; r = {replication})";
    }
}
