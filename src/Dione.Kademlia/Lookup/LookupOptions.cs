namespace Dione.Kademlia.Lookup;

/// <summary>Settings of <see cref="LookupEngine"/>: the Kademlia parameters and the bounds of one lookup.</summary>
public sealed record LookupOptions
{
    /// <summary>k: a lookup ends when the k closest peers seen have all answered; puts and provides go to the k closest.</summary>
    public int K { get; init; } = KademliaDefaults.K;

    /// <summary>alpha: the most requests one lookup has in flight at once.</summary>
    public int Alpha { get; init; } = KademliaDefaults.Alpha;

    /// <summary>Time for one request; a peer that takes longer is dropped from the lookup.</summary>
    public TimeSpan RequestTimeout { get; init; } = KademliaDefaults.RequestTimeout;

    /// <summary>Time for a whole lookup; when it passes, the lookup ends with what it has (<see cref="LookupTermination.TimedOut"/>).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest chain of dependent requests; a peer that would be asked at a deeper hop is dropped instead.</summary>
    public int MaxHops { get; init; } = 32;

    /// <summary>Closer peers taken from one reply (the rest are ignored), so a peer answering thousands costs no more.</summary>
    public int MaxCloserPeersPerReply { get; init; } = 2 * KademliaDefaults.K;

    /// <summary>Candidates remembered at once (failed peers excluded); beyond it the farthest unasked ones are forgotten.</summary>
    public int MaxCandidates { get; init; } = 10 * KademliaDefaults.K;

    /// <summary>Valid records a get-value collects before it stops (go uses 16 for IPNS).</summary>
    public int Quorum { get; init; } = 16;

    /// <summary>Clock for <see cref="LookupStats.Duration"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <exception cref="ArgumentException">a setting is out of range.</exception>
    public void Validate()
    {
        if (K < 1 || Alpha < 1 || MaxHops < 1 || MaxCloserPeersPerReply < 1 || Quorum < 1)
        {
            throw new ArgumentException("lookup counts must be positive");
        }
        if (MaxCandidates < K)
        {
            throw new ArgumentException("MaxCandidates must be at least K");
        }
        if (RequestTimeout <= TimeSpan.Zero || Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("lookup timeouts must be positive");
        }
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
