namespace Dione.Kademlia;

/// <summary>What <see cref="RoutingTable.TryAdd"/> did.</summary>
public enum RoutingTableAddStatus
{
    /// <summary>The peer is now in its bucket.</summary>
    Added,

    /// <summary>The peer was already in its bucket; it has been marked seen.</summary>
    AlreadyPresent,

    /// <summary>
    /// The bucket is full: the peer went to the bucket's replacement cache, and the least recently seen member is
    /// returned as the candidate for a liveness check (remove it if dead, and a replacement is promoted).
    /// </summary>
    BucketFull,

    /// <summary>The peer is ourselves; never added.</summary>
    Rejected,

    /// <summary>
    /// The table limits IP diversity (<see cref="RoutingTable.Diversity"/>) and the peer's IP group already has the most
    /// peers allowed in its bucket or in the table, or the peer has no IP group; not added, not cached.
    /// </summary>
    DiversityLimit,
}
