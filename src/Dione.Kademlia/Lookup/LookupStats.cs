namespace Dione.Kademlia.Lookup;

/// <summary>What one lookup cost.</summary>
/// <param name="Hops">
/// Rounds, defined as the longest chain of dependent requests: a request to a seed is hop 1, a request to a peer first
/// learnt from a reply to a hop-h request is hop h + 1 (the smallest such h when several peers named it); this is the
/// deepest hop of any request sent.
/// </param>
/// <param name="MessagesSent">Requests sent by the lookup itself (not the puts or corrections that follow it), including
/// those still in flight when it ended, which are cancelled and counted neither as answered nor as failed.</param>
/// <param name="PeersQueried">Peers that answered.</param>
/// <param name="PeersFailed">Peers that failed, timed out or were dropped (they are not asked again).</param>
/// <param name="Duration">Time from start to end of the lookup.</param>
/// <param name="Termination">Why it ended.</param>
public sealed record LookupStats(int Hops, int MessagesSent, int PeersQueried, int PeersFailed, TimeSpan Duration, LookupTermination Termination);
