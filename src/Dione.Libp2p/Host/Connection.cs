using System.Net.Sockets;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Multistream;
using Dione.Libp2p.Yamux;

namespace Dione.Libp2p.Host;

/// <summary>An upgraded connection to one peer: TCP, secured by Noise, multiplexed by Yamux.</summary>
public sealed class Connection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly YamuxSession _session;
    private readonly HostLimits _limits;

    internal Connection(
        Socket socket,
        YamuxSession session,
        PeerId remotePeer,
        PublicKey remoteKey,
        Multiaddress localAddress,
        Multiaddress remoteAddress,
        Direction direction,
        HostLimits limits)
    {
        _socket = socket;
        _session = session;
        _limits = limits;
        RemotePeer = remotePeer;
        RemoteKey = remoteKey;
        LocalAddress = localAddress;
        RemoteAddress = remoteAddress;
        Direction = direction;
        Opened = DateTimeOffset.UtcNow;
    }

    public PeerId RemotePeer { get; }

    public PublicKey RemoteKey { get; }

    public Multiaddress LocalAddress { get; }

    /// <summary>The remote transport address, without <c>/p2p/</c>.</summary>
    public Multiaddress RemoteAddress { get; }

    public Direction Direction { get; }

    public DateTimeOffset Opened { get; }

    /// <summary>Completes when the connection has closed for any reason.</summary>
    public Task Completion => _session.Completion;

    public bool IsClosed => _session.IsClosed;

    public int StreamCount => _session.OpenStreamCount;

    internal YamuxSession Session => _session;

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

    /// <summary>Measures one round trip with a Yamux ping.</summary>
    public Task<TimeSpan> MeasureRoundTripAsync(CancellationToken cancellationToken) => _session.PingAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _session.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
    }

    public override string ToString() => $"{Direction} {RemoteAddress}/p2p/{RemotePeer}";
}
