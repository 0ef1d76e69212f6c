namespace Dione.Kademlia.Lookup;

/// <summary>Why a lookup ended.</summary>
public enum LookupTermination
{
    /// <summary>The k closest peers seen have all answered (or no peer is left to ask).</summary>
    Converged,

    /// <summary>The operation had what it wanted before convergence: the peer found, the quorum reached, enough providers.</summary>
    Satisfied,

    /// <summary><see cref="LookupOptions.Timeout"/> passed; the result holds what was learnt until then.</summary>
    TimedOut,
}
