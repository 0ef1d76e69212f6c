using System.Threading.Channels;
using Dione.Libp2p.Muxing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dione.Libp2p.Yamux;

/// <summary>
/// A yamux (<c>/yamux/1.0.0</c>) session multiplexing streams over one duplex transport (in libp2p, a secured
/// connection). The initiator (dialer) opens odd stream ids, the listener even ones. Construct, call
/// <see cref="Start"/>, then open and accept streams. The session owns the transport and closes it when it ends:
/// on <see cref="DisposeAsync"/>, after a GoAway once no stream is left, on a transport error or stall, on a
/// protocol violation by the peer (answered with GoAway(protocol error)) or on an unanswered keep-alive ping.
/// </summary>
public sealed partial class YamuxSession : IMuxedConnection
{
    private const int ReadBufferSize = 16 * 1024;

    private readonly Stream _transport;
    private readonly bool _isInitiator;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _streamsLock = new();
    private readonly Dictionary<uint, YamuxStream> _streams = [];
    private readonly Channel<YamuxStream> _acceptQueue;
    private readonly SemaphoreSlim _ackBacklog;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Guarded by _streamsLock.
    private uint _nextStreamId;
    private int _inboundCount;
    private int _outboundCount;
    private bool _localGoAway;
    private bool _remoteGoAway;

    private int _started;
    private int _closeState;
    private int _disposeRequested;
    private int _goAwaySent;
    private Exception? _closeReason;
    private Task _loops = Task.CompletedTask;

    /// <summary>Creates a session over <paramref name="transport"/>; nothing is read or written before <see cref="Start"/>.</summary>
    /// <param name="transport">A connected duplex stream; the session owns it from now on.</param>
    /// <param name="isInitiator">True on the dialing side (odd stream ids), false on the listening side (even ids).</param>
    /// <param name="settings">Limits and tuning; defaults when null. Validated here.</param>
    /// <param name="logger">Optional logger.</param>
    public YamuxSession(Stream transport, bool isInitiator, YamuxSettings? settings = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        if (!transport.CanRead || !transport.CanWrite)
        {
            throw new ArgumentException("The yamux transport must be readable and writable.", nameof(transport));
        }
        settings = settings?.Clone() ?? new YamuxSettings();
        settings.Validate();
        _transport = transport;
        _isInitiator = isInitiator;
        Settings = settings;
        _logger = logger ?? NullLogger.Instance;
        _nextStreamId = isInitiator ? 1u : 2u;
        _acceptQueue = Channel.CreateBounded<YamuxStream>(new BoundedChannelOptions(settings.AcceptBacklog)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
        _ackBacklog = new SemaphoreSlim(settings.AcceptBacklog, settings.AcceptBacklog);
        Writer = new YamuxFrameWriter(transport, settings.MaxFrameSize, settings.WriteTimeout, CreateClosedException, Abort);
    }

    /// <summary>Completes (never faults) once the session has ended for any reason and the transport is closed.</summary>
    public Task Completion => _completion.Task;

    /// <summary>True once the session is closing or closed.</summary>
    public bool IsClosed => Volatile.Read(ref _closeState) != 0;

    /// <summary>Streams (both directions, including those waiting to be accepted) that are not fully closed.</summary>
    public int OpenStreamCount
    {
        get
        {
            lock (_streamsLock)
            {
                return _streams.Count;
            }
        }
    }

    internal YamuxSettings Settings { get; }

    internal YamuxFrameWriter Writer { get; }

    /// <summary>Starts the read loop, the writer and the keep-alive pings (the first ping also measures the round-trip time).</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The yamux session was already started.");
        }
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposeRequested) != 0, this);
        var token = _lifetime.Token;
        _loops = Task.WhenAll(
            Task.Run(() => ReadLoopAsync(token)),
            Task.Run(() => Writer.RunAsync(token)),
            Task.Run(() => PingLoopAsync(token)));
    }

    /// <summary>
    /// Opens a stream: sends its SYN (a window update announcing our receive window) and returns at once, without
    /// waiting for the remote's ACK. Waits (up to <see cref="YamuxSettings.StreamOpenTimeout"/>) while
    /// <see cref="YamuxSettings.AcceptBacklog"/> of our streams are still unacknowledged.
    /// </summary>
    /// <exception cref="YamuxSessionClosedException">The session has ended or is going away.</exception>
    /// <exception cref="YamuxException">Too many outbound streams are open, or stream ids are exhausted.</exception>
    /// <exception cref="TimeoutException">The ACK backlog did not drain in time.</exception>
    public async Task<YamuxStream> OpenStreamAsync(CancellationToken ct)
    {
        ThrowIfUnavailable();
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _lifetime.Token))
        {
            bool acquired;
            try
            {
                acquired = await _ackBacklog.WaitAsync(Settings.StreamOpenTimeout, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw CreateClosedException();
            }
            if (!acquired)
            {
                throw new TimeoutException("Timed out waiting for the remote to acknowledge earlier yamux streams.");
            }
        }
        YamuxStream stream;
        try
        {
            lock (_streamsLock)
            {
                ThrowIfUnavailable();
                if (_outboundCount >= Settings.MaxOutboundStreams)
                {
                    throw new YamuxException($"Too many outbound yamux streams are open ({Settings.MaxOutboundStreams}).");
                }
                if (_nextStreamId >= uint.MaxValue - 1)
                {
                    throw new YamuxException("Yamux stream ids are exhausted on this session.");
                }
                stream = new YamuxStream(this, _nextStreamId, isOutbound: true, Settings);
                // Queued under the lock so that SYNs go out in stream id order.
                if (!stream.TrySendOpen(YamuxFlags.Syn))
                {
                    throw CreateClosedException();
                }
                _nextStreamId += 2;
                _streams.Add(stream.Id, stream);
                _outboundCount++;
            }
        }
        catch
        {
            _ackBacklog.Release();
            throw;
        }
        return stream;
    }

    /// <summary>Waits for the next stream opened by the remote and acknowledges it (ACK with our receive window).</summary>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    /// <exception cref="YamuxSessionClosedException">The session has ended or is going away.</exception>
    public async ValueTask<YamuxStream> AcceptStreamAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposeRequested) != 0, this);
        while (true)
        {
            YamuxStream stream;
            try
            {
                stream = await _acceptQueue.Reader.ReadAsync(ct).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposeRequested) != 0, this);
                throw CreateClosedException();
            }
            if (stream.TrySendOpen(YamuxFlags.Ack))
            {
                return stream;
            }
        }
    }

    /// <summary>
    /// Normal termination: sends GoAway(0) and stops opening and accepting streams (streams still waiting to be
    /// accepted are reset). Existing streams keep working; the session closes once none is left. Returns once the
    /// GoAway has been written to the transport.
    /// </summary>
    public async Task GoAwayAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposeRequested) != 0, this);
        if (IsClosed)
        {
            return;
        }
        lock (_streamsLock)
        {
            _localGoAway = true;
        }
        SendGoAway(YamuxGoAwayCode.Normal);
        _acceptQueue.Writer.TryComplete();
        while (_acceptQueue.Reader.TryRead(out var unaccepted))
        {
            unaccepted.Reset();
        }
        try
        {
            await Writer.FlushAsync(ct).ConfigureAwait(false);
        }
        catch (YamuxSessionClosedException)
        {
            // Closed meanwhile (possibly because no stream was left): nothing more to do.
        }
        CloseIfGoneAway();
    }

    /// <summary>Sends GoAway (if possible, waiting at most <see cref="YamuxSettings.CloseFlushTimeout"/>), closes the transport and resets all streams.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposeRequested, 1) == 0)
        {
            await CloseAsync(new YamuxSessionClosedException("The yamux session was disposed."), YamuxGoAwayCode.Normal, flush: true, resetStreams: true).ConfigureAwait(false);
        }
        await _completion.Task.ConfigureAwait(false);
        try
        {
            await _loops.WaitAsync(Settings.CloseFlushTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogDebug("Yamux session loops did not stop within the close timeout.");
        }
    }

    /// <summary>The exception operations fail with once the session has ended.</summary>
    internal Exception CreateClosedException()
    {
        var reason = Volatile.Read(ref _closeReason);
        if (reason is YamuxSessionClosedException closed)
        {
            return new YamuxSessionClosedException(closed.Message, closed.InnerException);
        }
        if (reason is not null)
        {
            return new YamuxSessionClosedException($"The yamux session has ended: {reason.Message}", reason);
        }
        return new YamuxSessionClosedException("The yamux session is going away.");
    }

    /// <summary>Queues a payload-less frame; if even the control reserve is full the peer is not reading and the session aborts.</summary>
    internal bool TryEnqueueControl(YamuxHeader header, bool droppable = false)
    {
        if (Writer.TryEnqueueControl(header))
        {
            return true;
        }
        if (!droppable && !IsClosed)
        {
            Abort(new YamuxSessionClosedException("The yamux send queue overflowed: the peer does not read."));
        }
        return false;
    }

    /// <summary>Forgets a stream that is fully closed or reset.</summary>
    internal void RemoveStream(YamuxStream stream)
    {
        bool removed;
        lock (_streamsLock)
        {
            // An id may be reused by a new inbound stream; only remove this very stream.
            removed = _streams.TryGetValue(stream.Id, out var existing) && ReferenceEquals(existing, stream);
            if (removed)
            {
                _streams.Remove(stream.Id);
                if (stream.IsOutbound)
                {
                    _outboundCount--;
                }
                else
                {
                    _inboundCount--;
                }
            }
        }
        if (!removed)
        {
            return;
        }
        stream.OnRemoved();
        CloseIfGoneAway();
    }

    internal void ReleaseAckSlot()
    {
        if (!IsClosed)
        {
            _ackBacklog.Release();
        }
    }

    private void ThrowIfUnavailable()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposeRequested) != 0, this);
        if (IsClosed || _localGoAway || _remoteGoAway)
        {
            throw CreateClosedException();
        }
    }

    private bool IsInboundId(uint id) => (id % 2 == 0) == _isInitiator;

    private void SendGoAway(YamuxGoAwayCode code)
    {
        if (Interlocked.Exchange(ref _goAwaySent, 1) == 0)
        {
            Writer.TryEnqueueControl(new YamuxHeader(YamuxFrameType.GoAway, YamuxFlags.None, 0, (uint)code));
        }
    }

    private void CloseIfGoneAway()
    {
        bool close;
        lock (_streamsLock)
        {
            close = (_localGoAway || _remoteGoAway) && _streams.Count == 0;
        }
        if (close && !IsClosed)
        {
            _ = CloseAsync(new YamuxSessionClosedException("The yamux session went away."), goAway: null, flush: true);
        }
    }
}
