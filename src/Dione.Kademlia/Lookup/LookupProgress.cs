namespace Dione.Kademlia.Lookup;

/// <summary>A lookup's state after one reply or failure, for progress display.</summary>
/// <param name="PeersQueried">Peers that answered so far.</param>
/// <param name="PeersFailed">Peers that failed so far.</param>
/// <param name="InFlight">Requests waiting for a reply.</param>
/// <param name="Hops">Deepest hop sent so far (see <see cref="LookupStats.Hops"/>).</param>
/// <param name="ClosestDistance">XOR distance from the key of the closest peer that answered, or null when none has.</param>
public sealed record LookupProgress(int PeersQueried, int PeersFailed, int InFlight, int Hops, KadId? ClosestDistance)
{
    /// <summary>Leading bits shared by the key and the closest peer that answered (256 minus the log2 distance), or -1.</summary>
    public int ClosestCommonPrefixLength => ClosestDistance is { } d ? d.LeadingZeroCount() : -1;
}
