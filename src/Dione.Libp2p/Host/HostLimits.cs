namespace Dione.Libp2p.Host;

/// <summary>Resource limits of a host, with safe defaults.</summary>
public sealed record HostLimits
{
    /// <summary>Open connections in both directions; further inbound connections are closed at once.</summary>
    public int MaxConnections { get; init; } = 512;

    /// <summary>Inbound connections that may be in their handshake at one time.</summary>
    public int MaxPendingInboundHandshakes { get; init; } = 64;

    /// <summary>Time for TCP connect plus security and muxer negotiation.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Time for multistream-select on a new stream.</summary>
    public TimeSpan StreamNegotiationTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest length-prefixed message <see cref="StreamContext.ReadMessageAsync{T}"/> accepts (kad's 4 MiB by default).</summary>
    public int MaxMessageSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>Peers remembered by the peer store.</summary>
    public int MaxKnownPeers { get; init; } = 10_000;

    public void Validate()
    {
        if (MaxConnections < 1 || MaxPendingInboundHandshakes < 1 || MaxMessageSize < 1024 || MaxKnownPeers < 1)
        {
            throw new ArgumentException("host limits must be positive (message size at least 1 KiB)");
        }
        if (HandshakeTimeout <= TimeSpan.Zero || StreamNegotiationTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("host timeouts must be positive");
        }
    }
}
