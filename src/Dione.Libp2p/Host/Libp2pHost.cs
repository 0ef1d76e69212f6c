using System.Collections.Concurrent;
using System.Diagnostics;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Multistream;
using Dione.Libp2p.Muxing;
using Dione.Libp2p.Protocols.Identify;
using Dione.Libp2p.Protocols.Perf;
using Dione.Libp2p.Protocols.Ping;
using Dione.Libp2p.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dione.Libp2p.Host;

/// <summary>
/// A libp2p host: listens and dials over its transports, upgrades connections (security, muxer), keeps one connection per peer
/// for all streams, routes inbound streams to handlers by protocol id, and runs identify, ping and perf.
/// Build one with <see cref="Libp2pHostBuilder"/>.
/// </summary>
public sealed class Libp2pHost : ILibp2pHost, IAsyncDisposable
{
    private readonly HostOptions _options;
    private readonly ConnectionUpgrader _upgrader;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, StreamHandler> _handlers = new(StringComparer.Ordinal);
    private readonly object _connectionsGate = new();
    private readonly Dictionary<PeerId, List<Connection>> _connections = [];
    private readonly ConcurrentDictionary<PeerId, Lazy<Task<Connection>>> _pendingDials = new();
    private readonly List<ITransportListener> _listeners = [];
    private readonly List<Multiaddress> _listenAddresses = [];
    private readonly CancellationTokenSource _lifetime = new();
    private readonly SemaphoreSlim _handshakeSlots;
    private readonly ConcurrentDictionary<Task, bool> _background = new();
    private int _connectionCount;
    private int _disposed;

    internal Libp2pHost(HostOptions options)
    {
        _options = options;
        Identity = options.Identity;
        PeerId = PeerId.FromPublicKey(options.Identity.PublicKey);
        _logger = options.LoggerFactory?.CreateLogger<Libp2pHost>() ?? NullLogger<Libp2pHost>.Instance;
        _upgrader = new ConnectionUpgrader(options.Security, options.Muxers, options.Limits);
        _handshakeSlots = new SemaphoreSlim(options.Limits.MaxPendingInboundHandshakes);
        Peers = options.SharedPeers ?? new PeerStore(options.Limits.MaxKnownPeers);
        foreach (var (protocol, handler) in options.Handlers)
        {
            _handlers[protocol] = handler;
        }
        Identify = new IdentifyService(this, options.LoggerFactory);
        Ping = new PingService(this);
        Perf = new PerfService(this);
        _handlers.TryAdd(IdentifyService.ProtocolId, Identify.HandleIdentifyAsync);
        _handlers.TryAdd(IdentifyService.PushProtocolId, Identify.HandlePushAsync);
        _handlers.TryAdd(PingService.ProtocolId, Ping.HandleAsync);
        if (options.EnablePerf)
        {
            _handlers.TryAdd(PerfService.ProtocolId, Perf.HandleAsync);
        }
    }

    public PeerId PeerId { get; }

    public PrivateKey Identity { get; }

    public string AgentVersion => _options.AgentVersion;

    public string ProtocolVersion => _options.ProtocolVersion;

    public HostLimits Limits => _options.Limits;

    public PeerStore Peers { get; }

    /// <summary>Counters and traces of this host.</summary>
    public HostMetrics Metrics { get; } = new();

    public IdentifyService Identify { get; }

    public PingService Ping { get; }

    public PerfService Perf { get; }

    /// <summary>Raised when a connection is established, after its upgrade.</summary>
    public event EventHandler<Connection>? Connected;

    /// <summary>Raised when a connection has closed.</summary>
    public event EventHandler<Connection>? Disconnected;

    /// <summary>Raised when our protocols or listen addresses change.</summary>
    public event EventHandler? LocalRecordChanged;

    event EventHandler<PeerInfo>? ILibp2pHost.PeerIdentified
    {
        add => Identify.PeerIdentified += value;
        remove => Identify.PeerIdentified -= value;
    }

    internal CancellationToken Lifetime => _lifetime.Token;

    /// <summary>The addresses we listen on, with real ports, without <c>/p2p/</c>.</summary>
    public IReadOnlyList<Multiaddress> ListenAddresses
    {
        get
        {
            lock (_listenAddresses)
            {
                return [.. _listenAddresses];
            }
        }
    }

    /// <summary>The protocol ids we answer, sorted.</summary>
    public IReadOnlyList<string> Protocols => [.. _handlers.Keys.Order(StringComparer.Ordinal)];

    public IReadOnlyList<Connection> Connections
    {
        get
        {
            lock (_connectionsGate)
            {
                return [.. _connections.Values.SelectMany(c => c)];
            }
        }
    }

    public void SetStreamHandler(string protocol, StreamHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(protocol);
        _handlers[protocol] = handler;
        LocalRecordChanged?.Invoke(this, EventArgs.Empty);
    }

    public void RemoveStreamHandler(string protocol)
    {
        if (_handlers.TryRemove(protocol, out _))
        {
            LocalRecordChanged?.Invoke(this, EventArgs.Empty);
        }
    }

    /// <summary>Binds the configured listen addresses and starts accepting connections.</summary>
    /// <exception cref="NotSupportedException">No transport can listen on one of the addresses.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        foreach (var address in _options.ListenAddresses)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var transport = _options.Transports.FirstOrDefault(t => t.CanListen(address))
                ?? throw new NotSupportedException($"no transport can listen on '{address}'");
            var listener = await transport.ListenAsync(address, cancellationToken).ConfigureAwait(false);
            _listeners.Add(listener);
            var bound = listener.Address;
            lock (_listenAddresses)
            {
                _listenAddresses.Add(bound);
            }
            HostLog.Listening(_logger, bound.ToString());
            Track(AcceptLoopAsync(listener, bound));
        }
        if (_options.ListenAddresses.Count > 0)
        {
            LocalRecordChanged?.Invoke(this, EventArgs.Empty);
        }
    }

    /// <summary>Connects to the peer at <paramref name="address"/>, or returns the open connection to it.</summary>
    /// <remarks>When the address ends in <c>/p2p/ID</c>, the peer must prove that identity or the dial fails.</remarks>
    public async Task<Connection> DialAsync(Multiaddress address, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var expected = address.PeerId;
        if (expected is not null)
        {
            if (expected == PeerId)
            {
                throw new InvalidOperationException("cannot dial ourselves");
            }
            var existing = FindConnection(expected);
            if (existing is not null)
            {
                return existing;
            }
            Peers.AddAddresses(expected, [address]);
            return await DeduplicatedDialAsync(expected, ct => DialAddressAsync(address, expected, ct), cancellationToken).ConfigureAwait(false);
        }
        return await DialAddressAsync(address, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns the open connection to <paramref name="peer"/>, or dials the addresses the peer store knows.</summary>
    public async Task<Connection> DialAsync(PeerId peer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var existing = FindConnection(peer);
        if (existing is not null)
        {
            return existing;
        }
        var addresses = Peers.Get(peer)?.Addresses.Where(CanDial).ToList() ?? [];
        if (addresses.Count == 0)
        {
            throw new IOException($"no known address for peer {peer}");
        }
        return await DeduplicatedDialAsync(peer, async ct =>
        {
            var errors = new List<string>();
            foreach (var address in addresses)
            {
                try
                {
                    return await DialAddressAsync(address, peer, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    errors.Add($"{address}: {e.Message}");
                }
            }
            throw new IOException($"could not dial {peer}: {string.Join("; ", errors)}");
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a stream to <paramref name="peer"/> (dialing if needed) for one of <paramref name="protocols"/>.</summary>
    public async Task<StreamContext> NewStreamAsync(PeerId peer, IReadOnlyList<string> protocols, CancellationToken cancellationToken = default)
    {
        var connection = await DialAsync(peer, cancellationToken).ConfigureAwait(false);
        return await connection.OpenStreamAsync(protocols, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes every connection to <paramref name="peer"/>.</summary>
    public async Task DisconnectAsync(PeerId peer)
    {
        List<Connection> toClose;
        lock (_connectionsGate)
        {
            toClose = _connections.TryGetValue(peer, out var list) ? [.. list] : [];
        }
        foreach (var connection in toClose)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private bool CanDial(Multiaddress address) => _options.Transports.Any(t => t.CanDial(address));

    public Connection? FindConnection(PeerId peer)
    {
        lock (_connectionsGate)
        {
            return _connections.TryGetValue(peer, out var list) ? list.FirstOrDefault(c => !c.IsClosed) : null;
        }
    }

    IReadOnlyList<Multiaddress> ILibp2pHost.AdvertisedAddresses() => Identify.AdvertisedAddresses();

    Task<PeerInfo> ILibp2pHost.WaitForIdentifiedAsync(PeerId peer, CancellationToken cancellationToken) =>
        Identify.WaitForPeerAsync(peer, cancellationToken);

    /// <summary>Runs at most one dial per peer at a time; concurrent callers share it and may each stop waiting.</summary>
    private Task<Connection> DeduplicatedDialAsync(PeerId peer, Func<CancellationToken, Task<Connection>> dial, CancellationToken cancellationToken)
    {
        var pending = _pendingDials.GetOrAdd(peer, p => new Lazy<Task<Connection>>(() => DialThenForgetAsync(p, dial)));
        return pending.Value.WaitAsync(cancellationToken);
    }

    private async Task<Connection> DialThenForgetAsync(PeerId peer, Func<CancellationToken, Task<Connection>> dial)
    {
        try
        {
            return await dial(_lifetime.Token).ConfigureAwait(false);
        }
        finally
        {
            _pendingDials.TryRemove(peer, out _);
        }
    }

    private async Task<Connection> DialAddressAsync(Multiaddress address, PeerId? expected, CancellationToken cancellationToken)
    {
        using var activity = Metrics.ActivitySource.StartActivity("dial");
        activity?.SetTag("address", address.ToString());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        timeout.CancelAfter(_options.Limits.HandshakeTimeout);
        var transport = _options.Transports.FirstOrDefault(t => t.CanDial(address))
            ?? throw new NotSupportedException($"no transport can dial '{address}'");
        var raw = await transport.DialAsync(address, timeout.Token).ConfigureAwait(false);
        try
        {
            var connection = await _upgrader.UpgradeOutboundAsync(raw, expected, timeout.Token).ConfigureAwait(false);
            activity?.SetTag("peer", connection.RemotePeer.ToString());
            Register(connection);
            return connection;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_lifetime.IsCancellationRequested)
        {
            await raw.DisposeAsync().ConfigureAwait(false);
            Metrics.HandshakeFailed(Direction.Outbound);
            activity?.SetStatus(ActivityStatusCode.Error, "timeout");
            throw new TimeoutException($"handshake with {address} timed out");
        }
        catch (Exception e)
        {
            await raw.DisposeAsync().ConfigureAwait(false);
            Metrics.HandshakeFailed(Direction.Outbound);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    private async Task AcceptLoopAsync(ITransportListener listener, Multiaddress address)
    {
        try
        {
            while (!_lifetime.IsCancellationRequested)
            {
                var raw = await listener.AcceptAsync(_lifetime.Token).ConfigureAwait(false);
                if (Volatile.Read(ref _connectionCount) >= _options.Limits.MaxConnections)
                {
                    await RefuseAsync(raw, "connection limit reached").ConfigureAwait(false);
                    continue;
                }
                if (!_handshakeSlots.Wait(0))
                {
                    await RefuseAsync(raw, "too many handshakes in progress").ConfigureAwait(false);
                    continue;
                }
                Track(HandleInboundAsync(raw));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (Exception e) when (_lifetime.IsCancellationRequested)
        {
            // The listener was closed under a pending accept while the host shut down.
            _ = e;
        }
        catch (Exception e)
        {
            HostLog.AcceptLoopStopped(_logger, e, address.ToString());
        }
    }

    private async Task RefuseAsync(TransportConnection raw, string reason)
    {
        Metrics.ConnectionRefused();
        HostLog.InboundRefused(_logger, raw.RemoteAddress.ToString(), reason);
        await raw.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleInboundAsync(TransportConnection raw)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
            timeout.CancelAfter(_options.Limits.HandshakeTimeout);
            var connection = await _upgrader.UpgradeInboundAsync(raw, timeout.Token).ConfigureAwait(false);
            Register(connection);
        }
        catch (Exception e)
        {
            HostLog.InboundHandshakeFailed(_logger, raw.RemoteAddress.ToString(), e.Message);
            Metrics.HandshakeFailed(Direction.Inbound);
            await raw.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _handshakeSlots.Release();
        }
    }

    private void Register(Connection connection)
    {
        lock (_connectionsGate)
        {
            if (!_connections.TryGetValue(connection.RemotePeer, out var list))
            {
                _connections[connection.RemotePeer] = list = [];
            }
            list.Add(connection);
        }
        Interlocked.Increment(ref _connectionCount);
        Metrics.ConnectionOpened(connection.Direction);
        Peers.AddAddresses(connection.RemotePeer, connection.Direction == Direction.Outbound ? [connection.RemoteAddress] : []);
        Peers.SetPublicKey(connection.RemotePeer, connection.RemoteKey);
        HostLog.ConnectionOpened(_logger, connection.ToString());
        Track(ServeStreamsAsync(connection));
        Track(WatchAsync(connection));
        Connected?.Invoke(this, connection);
    }

    private async Task WatchAsync(Connection connection)
    {
        await connection.Completion.ConfigureAwait(false);
        lock (_connectionsGate)
        {
            if (_connections.TryGetValue(connection.RemotePeer, out var list))
            {
                list.Remove(connection);
                if (list.Count == 0)
                {
                    _connections.Remove(connection.RemotePeer);
                }
            }
        }
        Interlocked.Decrement(ref _connectionCount);
        Metrics.ConnectionClosed(connection.Direction);
        await connection.DisposeAsync().ConfigureAwait(false);
        HostLog.ConnectionClosed(_logger, connection.ToString());
        Disconnected?.Invoke(this, connection);
    }

    private async Task ServeStreamsAsync(Connection connection)
    {
        while (!_lifetime.IsCancellationRequested)
        {
            MuxedStream stream;
            try
            {
                stream = await connection.Session.AcceptStreamAsync(_lifetime.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                return;
            }
            Track(ServeStreamAsync(connection, stream));
        }
    }

    private async Task ServeStreamAsync(Connection connection, MuxedStream stream)
    {
        string protocol;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
            timeout.CancelAfter(_options.Limits.StreamNegotiationTimeout);
            protocol = await MultistreamSelect.HandleAsync(stream, _handlers.ContainsKey, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            HostLog.StreamNegotiationFailed(_logger, connection.RemotePeer.ToString(), e.Message);
            Metrics.StreamRefused();
            stream.Reset();
            return;
        }
        if (!_handlers.TryGetValue(protocol, out var handler))
        {
            stream.Reset();
            return;
        }
        Metrics.InboundStream(protocol);
        var context = new StreamContext(stream, stream, protocol, connection, Direction.Inbound);
        try
        {
            await handler(context, _lifetime.Token).ConfigureAwait(false);
            await context.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            HostLog.HandlerFailed(_logger, e, protocol, connection.RemotePeer.ToString());
            context.Reset();
        }
    }

    private void Track(Task task)
    {
        _background[task] = true;
        _ = task.ContinueWith(t => _background.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _lifetime.CancelAsync().ConfigureAwait(false);
        foreach (var listener in _listeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
        foreach (var connection in Connections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        try
        {
            await Task.WhenAll(_background.Keys).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Background tasks end with their connections; failures were logged where they happened.
        }
        _lifetime.Dispose();
        _handshakeSlots.Dispose();
        Metrics.Dispose();
    }
}
