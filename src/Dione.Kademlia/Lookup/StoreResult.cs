using Dione.Libp2p.Identity;

namespace Dione.Kademlia.Lookup;

/// <summary>A put-value or provide outcome: the closest-peers lookup, and which of the closest took the record.</summary>
/// <param name="Lookup">The closest-peers lookup that chose the targets.</param>
/// <param name="Stored">Peers that accepted (for ADD_PROVIDER, which has no reply: peers the request reached).</param>
/// <param name="Failed">Peers that refused, failed or timed out.</param>
public sealed record StoreResult(LookupResult Lookup, IReadOnlyList<PeerId> Stored, IReadOnlyList<PeerId> Failed);
