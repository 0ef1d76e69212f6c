namespace Dione.Libp2p.Transport.Dnsaddr;

/// <summary>Bounds of <see cref="DnsaddrResolver"/>; depth and result count mirror go-libp2p's swarm.</summary>
public sealed class DnsaddrResolverOptions
{
    /// <summary>
    /// TXT lookups in one chain of nested <c>/dnsaddr</c> entries (go-libp2p <c>maximumDNSADDRRecursion</c> = 4).
    /// A <c>/dnsaddr</c> entry found at the last level is dropped (go passes it on unresolved, to be found undialable).
    /// </summary>
    public int MaxDepth { get; init; } = 4;

    /// <summary>Addresses returned per resolved address (go-libp2p <c>maximumResolvedAddresses</c> = 100).</summary>
    public int MaxResults { get; init; } = 100;

    /// <summary>Distinct names looked up per call; answers are reused within a call.</summary>
    public int MaxLookups { get; init; } = 32;

    /// <summary>Time one call may take; when it runs out the addresses found so far are returned.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
