using Dione.Kademlia.Protos;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dione.Kademlia;

/// <summary>
/// The inbound side of the DHT: a stream handler for <see cref="KadOptions.ProtocolId"/> that answers FIND_NODE,
/// GET_VALUE, PUT_VALUE, ADD_PROVIDER, GET_PROVIDERS and PING from the routing table and the stores.
/// </summary>
/// <remarks>
/// <para>The handler is registered on the host only in <see cref="KadMode.Server"/>, so a client neither advertises
/// the protocol in identify nor accepts it; changing the mode updates the host, which pushes identify.</para>
/// <para>Each stream serves any number of requests in turn (go and the spec allow reuse), each read with the host's
/// message size cap (4 MiB by default); a stream idle for <see cref="KadOptions.StreamIdleTimeout"/> is reset.
/// A refused request (see <see cref="KadProtocolException"/>), an unknown type, an unparsable or oversized message
/// reset the stream, as go does; ADD_PROVIDER gets no reply. A peer may have at most
/// <see cref="KadOptions.MaxInboundStreamsPerPeer"/> kad streams served at once, and all peers together
/// <see cref="KadOptions.MaxInboundStreams"/>; the excess is reset before anything is read from it.</para>
/// </remarks>
public sealed class KadServer
{
    private readonly ILibp2pHost _host;
    private readonly KadOptions _options;
    private readonly KadRequestHandler _handler;
    private readonly InboundStreamLimiter _limiter;
    private readonly ILogger _logger;
    private readonly object _modeGate = new();
    private bool _started;

    public KadServer(
        ILibp2pHost host,
        RoutingTable routingTable,
        IRecordStore records,
        IProviderStore providers,
        IRecordValidator validator,
        KadOptions? options = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(routingTable);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(validator);
        _options = options ?? new KadOptions();
        _options.Validate();
        _host = host;
        _logger = logger ?? NullLogger.Instance;
        _handler = new KadRequestHandler(host, routingTable, records, providers, validator, _options);
        _limiter = new InboundStreamLimiter(_options.MaxInboundStreamsPerPeer, _options.MaxInboundStreams);
        Mode = _options.Mode;
    }

    public string ProtocolId => _options.ProtocolId;

    /// <summary>The current mode; see <see cref="SetMode"/>.</summary>
    public KadMode Mode { get; private set; }

    /// <summary>Registers the handler when in server mode.</summary>
    public void Start()
    {
        lock (_modeGate)
        {
            _started = true;
            Apply();
        }
    }

    /// <summary>Switches mode: registers or removes the handler (the host then pushes identify to connected peers).</summary>
    public void SetMode(KadMode mode)
    {
        lock (_modeGate)
        {
            if (Mode == mode)
            {
                return;
            }
            Mode = mode;
            KadLog.ModeChanged(_logger, ProtocolId, mode);
            if (_started)
            {
                Apply();
            }
        }
    }

    /// <summary>Removes the handler; streams in progress finish their current request and are then refused.</summary>
    public void Stop()
    {
        lock (_modeGate)
        {
            _started = false;
            _host.RemoveStreamHandler(ProtocolId);
        }
    }

    /// <summary>Serves one inbound stream (registered as the host's handler for the protocol).</summary>
    internal async Task HandleStreamAsync(StreamContext stream, CancellationToken cancellationToken)
    {
        var peer = stream.RemotePeer;
        if (Mode != KadMode.Server)
        {
            stream.Reset();
            return;
        }
        if (!_limiter.TryEnter(peer))
        {
            KadLog.StreamRefused(_logger, peer.ToString(), _limiter.OpenCount(peer), _limiter.TotalCount);
            stream.Reset();
            return;
        }
        try
        {
            await ServeAsync(stream, peer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KadProtocolException or InvalidDataException or IOException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            KadLog.StreamReset(_logger, peer.ToString(), e is OperationCanceledException ? "idle" : e.Message);
            stream.Reset();
        }
        finally
        {
            _limiter.Exit(peer);
        }
    }

    /// <summary>Raised with every request a peer sends, before it is answered: what this server sees, for tests and diagnostics.</summary>
    public event Action<PeerId, Message>? RequestReceived;

    /// <summary>Answers one request from <paramref name="from"/>: the reply, or null when none is due.</summary>
    /// <exception cref="KadProtocolException">the request is refused.</exception>
    internal Task<Message?> HandleRequestAsync(PeerId from, Message request, CancellationToken cancellationToken)
    {
        RequestReceived?.Invoke(from, request);
        return _handler.HandleAsync(from, request, cancellationToken);
    }

    /// <summary>Parses and answers one request payload (without its length prefix), as the stream loop does.</summary>
    /// <exception cref="KadProtocolException">the payload is not a message, or the request is refused.</exception>
    internal Task<Message?> HandleRequestBytesAsync(PeerId from, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        Message request;
        try
        {
            request = Message.Parser.ParseFrom(payload.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new KadProtocolException($"not a kad message: {e.Message}", e);
        }
        return HandleRequestAsync(from, request, cancellationToken);
    }

    internal int OpenStreams(PeerId peer) => _limiter.OpenCount(peer);

    /// <summary>Inbound streams being served now, over all peers.</summary>
    internal int TotalOpenStreams => _limiter.TotalCount;

    private async Task ServeAsync(StreamContext stream, PeerId peer, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            idle.CancelAfter(_options.StreamIdleTimeout);
            var request = await stream.ReadMessageAsync(Message.Parser, idle.Token).ConfigureAwait(false);
            if (request is null)
            {
                return;
            }
            if (Mode != KadMode.Server)
            {
                throw new KadProtocolException("no longer in server mode");
            }
            var reply = await HandleRequestAsync(peer, request, idle.Token).ConfigureAwait(false);
            if (reply is not null)
            {
                await stream.WriteMessageAsync(reply, idle.Token).ConfigureAwait(false);
            }
        }
    }

    private void Apply()
    {
        if (Mode == KadMode.Server)
        {
            _host.SetStreamHandler(ProtocolId, HandleStreamAsync);
        }
        else
        {
            _host.RemoveStreamHandler(ProtocolId);
        }
    }
}
