using Dione.Kademlia;

namespace Dione.Messenger.Store;

/// <summary>
/// Decides whether this node is one of the holders of an address: it is when fewer than <see cref="Slack"/> peers of
/// its overlay routing table are closer than itself to SHA-256 of the address.
/// </summary>
/// <remarks>
/// Senders store each envelope at the r closest peers they find (r = 5 by default). A node's routing table never holds
/// every peer, so its own view of "the r closest" may differ from the sender's; the slack (2r by default) absorbs that
/// difference while still refusing a node far from the address, so nobody can park envelopes on arbitrary nodes.
/// A node that knows fewer than <see cref="Slack"/> peers (a small swarm) holds everything.
/// </remarks>
public sealed class HolderPolicy
{
    private readonly RoutingTable _table;

    public HolderPolicy(RoutingTable table, int slack)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(slack, 1);
        _table = table;
        Slack = slack;
    }

    /// <summary>How many closer peers this node tolerates before it stops holding an address.</summary>
    public int Slack { get; }

    /// <summary>True when this node should store and serve <paramref name="address"/>.</summary>
    public bool Holds(ReadOnlySpan<byte> address)
    {
        var target = KadId.FromKey(address);
        var self = _table.LocalId;
        var closer = _table.NearestPeers(target, Slack).Count(entry => target.IsCloser(entry.Id, self));
        return closer < Slack;
    }
}
