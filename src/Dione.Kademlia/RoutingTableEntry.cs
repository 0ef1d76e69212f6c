using Dione.Libp2p.Identity;

namespace Dione.Kademlia;

/// <summary>A peer in a <see cref="RoutingTable"/> bucket or replacement cache; a snapshot, the table keeps its own copy.</summary>
/// <param name="PeerId">The peer.</param>
/// <param name="Id">Its key-space position (SHA-256 of the peer id).</param>
/// <param name="AddedAt">When it entered the bucket (or the replacement cache).</param>
/// <param name="LastSeen">When it last proved alive or was offered again.</param>
public sealed record RoutingTableEntry(PeerId PeerId, KadId Id, DateTimeOffset AddedAt, DateTimeOffset LastSeen)
{
    /// <summary>The <see cref="IpGroup"/> the peer was counted in, when the table limits IP diversity.</summary>
    public string? IpGroupKey { get; init; }
}
