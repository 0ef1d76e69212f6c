using Dione.Libp2p.Identity;

namespace Dione.Kademlia.Lookup;

/// <summary>A get-value outcome.</summary>
/// <param name="Value">The best valid value found (the validator's choice), or null when no peer held a valid one.</param>
/// <param name="ValidRecords">Valid records received.</param>
/// <param name="Corrected">Peers among the closest that held a stale, invalid or no record and accepted the best one.</param>
/// <param name="Stats">What the lookup cost (corrections not counted).</param>
public sealed record GetValueResult(byte[]? Value, int ValidRecords, IReadOnlyList<PeerId> Corrected, LookupStats Stats);
