namespace Dione.Benchmarks.Dht;

/// <summary>One measured lookup.</summary>
/// <param name="FindPeer">A find-peer lookup (the key is a live node's id), else closest peers of a random key.</param>
/// <param name="Rounds">As <see cref="LookupOutcome.Rounds"/>.</param>
/// <param name="Sent">FIND_NODE requests sent, answered or not.</param>
/// <param name="Failed">Of those, requests that failed (peer gone, refused, timed out).</param>
/// <param name="Success">The target was found (find-peer), or the closest live node to the key was among the results.</param>
/// <param name="Recall">Closest-peers only: the share of the true k closest live nodes among the results.</param>
/// <param name="Elapsed">Wall time of the lookup.</param>
internal sealed record LookupSample(bool FindPeer, int Rounds, int Sent, int Failed, bool Success, double? Recall, TimeSpan Elapsed);
