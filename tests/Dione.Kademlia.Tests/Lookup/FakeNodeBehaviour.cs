namespace Dione.Kademlia.Tests.Lookup;

/// <summary>How a node of the fake network answers.</summary>
internal enum FakeNodeBehaviour
{
    /// <summary>Answers from its routing table and stores.</summary>
    Honest,

    /// <summary>Every request fails at once (IOException), as a peer that is gone.</summary>
    Failing,

    /// <summary>Never answers; the request ends only when cancelled (the lookup's request timeout).</summary>
    Hanging,

    /// <summary>Answers with thousands of random peers that do not exist.</summary>
    Garbage,

    /// <summary>Answers only once the network's gate opens.</summary>
    Gated,
}
