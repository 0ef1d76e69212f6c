namespace Dione.Kademlia;

/// <summary>The outcome of <see cref="RoutingTable.TryAdd"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="EvictionCandidate">With <see cref="RoutingTableAddStatus.BucketFull"/>: the least recently seen member of the bucket, to check for liveness.</param>
public readonly record struct RoutingTableAddResult(RoutingTableAddStatus Status, RoutingTableEntry? EvictionCandidate = null);
