namespace Dione.Kademlia.Lookup;

/// <summary>Where a peer stands in one lookup.</summary>
internal enum LookupCandidateState
{
    /// <summary>Named by a seed or a reply, not asked yet.</summary>
    Heard,

    /// <summary>Asked; the reply has not come.</summary>
    Waiting,

    /// <summary>Answered.</summary>
    Responded,
}
