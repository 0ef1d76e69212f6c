namespace Dione.Kademlia.Lookup;

/// <summary>Orders candidates closest first; distinct peers have distinct distances (their ids are distinct hashes).</summary>
internal sealed class LookupCandidateDistanceComparer : IComparer<LookupCandidate>
{
    public static readonly LookupCandidateDistanceComparer Instance = new();

    public int Compare(LookupCandidate? x, LookupCandidate? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }
        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }
        var byDistance = x.Distance.CompareTo(y.Distance);
        return byDistance != 0 ? byDistance : x.PeerId.Bytes.SequenceCompareTo(y.PeerId.Bytes);
    }
}
