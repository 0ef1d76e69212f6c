namespace Dione.Kademlia.Lookup;

/// <summary>A closest-peers lookup's outcome: the closest peers that answered, closest first, and its cost.</summary>
/// <param name="Key">The key looked up.</param>
/// <param name="ClosestPeers">At most k peers that answered, closest to <see cref="KadId.FromKey"/> of the key first.</param>
/// <param name="Stats">What the lookup cost and why it ended.</param>
public sealed record LookupResult(byte[] Key, IReadOnlyList<KadPeer> ClosestPeers, LookupStats Stats);
