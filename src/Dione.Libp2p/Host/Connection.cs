using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Multistream;
using Dione.Libp2p.Muxing;
using Dione.Libp2p.Transport;

namespace Dione.Libp2p.Host;

/// <summary>An upgraded connection to one peer: a transport connection, secured and multiplexed (by default TCP, Noise and Yamux).</summary>
public sealed class Connection : IAsyncDisposable
{
    private readonly TransportConnection _transport;
    private readonly IMuxedConnection _session;
    private readonly HostLimits _limits;

    internal Connection(
        TransportConnection transport,
        IMuxedConnection session,
        PeerId remotePeer,
        PublicKey remoteKey,
        string security,
        string muxer,
        Direction direction,
        HostLimits limits)
    {
        _transport = transport;
        _session = session;
        _limits = limits;
        RemotePeer = remotePeer;
        RemoteKey = remoteKey;
        Security = security;
        Muxer = muxer;
        LocalAddress = transport.LocalAddress;
        RemoteAddress = transport.RemoteAddress;
        Direction = direction;
        Opened = DateTimeOffset.UtcNow;
    }

    public PeerId RemotePeer { get; }

    public PublicKey RemoteKey { get; }

    /// <summary>The security protocol agreed, e.g. <c>/noise</c>.</summary>
    public string Security { get; }

    /// <summary>The stream muxer agreed, e.g. <c>/yamux/1.0.0</c>.</summary>
    public string Muxer { get; }

    public Multiaddress LocalAddress { get; }

    /// <summary>The remote transport address, without <c>/p2p/</c>.</summary>
    public Multiaddress RemoteAddress { get; }

    public Direction Direction { get; }

    public DateTimeOffset Opened { get; }

    /// <summary>Completes when the connection has closed for any reason.</summary>
    public Task Completion => _session.Completion;

    public bool IsClosed => _session.IsClosed;

    public int StreamCount => _session.OpenStreamCount;

    internal IMuxedConnection Session => _session;

    internal HostLimits Limits => _limits;

    /// <summary>Opens a stream and negotiates one of <paramref name="protocols"/>, in order of preference.</summary>
    /// <remarks>With a single protocol the negotiation is lazy: data can be written before the peer has answered.</remarks>
    public async Task<StreamContext> OpenStreamAsync(IReadOnlyList<string> protocols, CancellationToken cancellationToken)
    {
        if (protocols.Count == 0)
        {
            throw new ArgumentException("at least one protocol is needed", nameof(protocols));
        }
        var muxed = await _session.OpenStreamAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (protocols.Count == 1)
            {
                return new StreamContext(MultistreamSelect.SelectLazy(muxed, protocols[0]), muxed, protocols[0], this, Direction.Outbound);
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_limits.StreamNegotiationTimeout);
            var protocol = await MultistreamSelect.SelectAsync(muxed, protocols, timeout.Token).ConfigureAwait(false);
            return new StreamContext(muxed, muxed, protocol, this, Direction.Outbound);
        }
        catch
        {
            muxed.Reset();
            throw;
        }
    }

    /// <summary>Measures one round trip with the muxer's ping.</summary>
    public Task<TimeSpan> MeasureRoundTripAsync(CancellationToken cancellationToken) => _session.MeasureRoundTripAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _session.DisposeAsync().ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
    }

    public override string ToString() => $"{Direction} {RemoteAddress}/p2p/{RemotePeer}";
}
