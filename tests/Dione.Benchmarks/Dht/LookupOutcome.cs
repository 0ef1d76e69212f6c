using Dione.Libp2p.Identity;

namespace Dione.Benchmarks.Dht;

/// <summary>What one lookup returned.</summary>
/// <param name="Closest">The closest peers that answered, closest first (at most k; empty for a find-peer).</param>
/// <param name="Rounds">
/// The longest chain of requests that depended on each other: a peer known before the lookup is queried in round 1,
/// a peer first learnt from a round-r reply in round r + 1. With equal round-trip times this is the lookup's duration
/// in round trips.
/// </param>
/// <param name="Found">For a find-peer: the target answered, or a reply named it with addresses.</param>
internal sealed record LookupOutcome(IReadOnlyList<PeerId> Closest, int Rounds, bool Found = false);
