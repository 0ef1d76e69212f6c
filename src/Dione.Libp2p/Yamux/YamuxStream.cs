using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Dione.Libp2p.Muxing;

namespace Dione.Libp2p.Yamux;

/// <summary>
/// One multiplexed yamux stream: a duplex, non-seekable <see cref="Stream"/>.
/// Reads return 0 after the remote's FIN once buffered data is drained and throw an <see cref="IOException"/>
/// (<see cref="YamuxStreamResetException"/> or <see cref="YamuxSessionClosedException"/>) after a reset or the loss
/// of the session. Writes wait (asynchronously) while the remote's window is exhausted and never exceed it.
/// <see cref="CloseWriteAsync"/> half-closes (FIN); <see cref="Reset"/> aborts (RST); disposing closes gracefully
/// (FIN if not sent yet) and makes the object unusable. One reader and one writer may work concurrently;
/// concurrent writes are serialised, concurrent reads are not supported.
/// </summary>
public sealed class YamuxStream : MuxedStream
{
    private readonly YamuxSession _session;
    private readonly Lock _gate = new();
    private readonly YamuxReceiveBuffer _receiveBuffer = new();
    private readonly AsyncAutoResetSignal _readable = new();
    private readonly AsyncAutoResetSignal _writable = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly int _maxReceiveWindow;
    private readonly int _maxFrameSize;
    private long _sendWindow = YamuxProtocol.InitialStreamWindow;

    // Guarded by _gate.
    private long _receiveCredit = YamuxProtocol.InitialStreamWindow;
    private long _undeliveredBytes;
    private int _receiveWindowTarget;
    private long _lastGrantTimestamp;
    private HalfState _readState;
    private HalfState _writeState;
    private bool _localReset;
    private bool _disposed;
    private bool _openSent;
    private bool _removed;
    private Timer? _lingerTimer;

    private int _ackSlotHeld;

    internal YamuxStream(YamuxSession session, uint id, bool isOutbound, YamuxSettings settings)
    {
        _session = session;
        Id = id;
        IsOutbound = isOutbound;
        _receiveWindowTarget = settings.InitialStreamWindow;
        _maxReceiveWindow = settings.MaxStreamWindow;
        _maxFrameSize = settings.MaxFrameSize;
        _lastGrantTimestamp = Stopwatch.GetTimestamp();
        _ackSlotHeld = isOutbound ? 1 : 0;
    }

    private enum HalfState
    {
        Open,
        Closed,
        Reset,
        Aborted,
    }

    /// <summary>The yamux stream id (odd when opened by the initiator, even when opened by the listener).</summary>
    public uint Id { get; }

    /// <inheritdoc />
    public override bool CanRead => !Volatile.Read(ref _disposed);

    /// <inheritdoc />
    public override bool CanWrite => !Volatile.Read(ref _disposed);

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    internal bool IsOutbound { get; }

    /// <summary>The receive window this stream currently aims to keep granted to the remote (auto-tuned).</summary>
    internal int ReceiveWindowTarget
    {
        get
        {
            lock (_gate)
            {
                return _receiveWindowTarget;
            }
        }
    }

    /// <summary>Bytes the remote may still send before it must wait for a window update.</summary>
    internal long SendWindow => Interlocked.Read(ref _sendWindow);

    /// <summary>Received bytes waiting for the application.</summary>
    internal int BufferedBytes
    {
        get
        {
            lock (_gate)
            {
                return _receiveBuffer.Length;
            }
        }
    }

    /// <inheritdoc />
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryRead(buffer.Span, out var read))
            {
                return read;
            }
            await _readable.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        if (TryRead(buffer, out var read))
        {
            return read;
        }
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            read = ReadAsync(rented.AsMemory(0, buffer.Length)).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <inheritdoc />
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfCannotWrite();
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (!buffer.IsEmpty)
            {
                ThrowIfCannotWrite();
                var window = Interlocked.Read(ref _sendWindow);
                if (window <= 0)
                {
                    await _writable.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }
                var chunk = (int)Math.Min(Math.Min(window, _maxFrameSize), buffer.Length);
                var sent = _session.Writer.TryEnqueueData(Id, buffer.Span[..chunk], out var spaceFreed);
                if (sent == 0)
                {
                    await spaceFreed!.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }
                Interlocked.Add(ref _sendWindow, -sent);
                buffer = buffer[sent..];
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        var pending = WriteAsync(buffer.AsMemory(offset, count));
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            buffer.CopyTo(rented);
            Write(rented, 0, buffer.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Data is handed to the session's writer as it is written; there is nothing to flush.</summary>
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>
    /// Half-closes the stream: sends FIN after all data written so far. Reading still works.
    /// Closing an already closed write side does nothing.
    /// </summary>
    public override async Task CloseWriteAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        bool fullyClosed;
        try
        {
            lock (_gate)
            {
                ThrowIfCannotWriteLocked(allowClosed: true);
                if (_writeState == HalfState.Closed)
                {
                    return;
                }
                _writeState = HalfState.Closed;
                if (!_session.TryEnqueueControl(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Fin, Id, 0)))
                {
                    throw _session.CreateClosedException();
                }
                fullyClosed = _readState != HalfState.Open;
            }
        }
        finally
        {
            _writeLock.Release();
        }
        _writable.Set();
        if (fullyClosed)
        {
            _session.RemoveStream(this);
        }
    }

    /// <summary>
    /// Resets the stream (RST): pending and later reads and writes fail with <see cref="YamuxStreamResetException"/>,
    /// buffered data is dropped. Does nothing if already reset.
    /// </summary>
    public override void Reset()
    {
        lock (_gate)
        {
            if (_localReset)
            {
                return;
            }
            _localReset = true;
            var anythingOpen = _readState == HalfState.Open || _writeState == HalfState.Open;
            if (_readState == HalfState.Open)
            {
                _readState = HalfState.Reset;
            }
            if (_writeState == HalfState.Open)
            {
                _writeState = HalfState.Reset;
            }
            _receiveBuffer.Release();
            if (anythingOpen)
            {
                _session.TryEnqueueControl(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Rst, Id, 0));
            }
        }
        _readable.Set();
        _writable.Set();
        _session.RemoveStream(this);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseOnDispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>Sends the SYN (outbound) or ACK (inbound) window update announcing our initial window; false if the stream is already dead.</summary>
    internal bool TrySendOpen(YamuxFlags flag)
    {
        lock (_gate)
        {
            if (_openSent || _localReset || _readState is HalfState.Reset or HalfState.Aborted
                || _writeState is HalfState.Reset or HalfState.Aborted)
            {
                return false;
            }
            _openSent = true;
            var delta = (uint)(_receiveWindowTarget - YamuxProtocol.InitialStreamWindow);
            _receiveCredit += delta;
            _lastGrantTimestamp = Stopwatch.GetTimestamp();
            return _session.TryEnqueueControl(new YamuxHeader(YamuxFrameType.WindowUpdate, flag, Id, delta));
        }
    }

    /// <summary>Charges an incoming data frame against our receive window; false if it exceeds the window.</summary>
    internal bool TryConsumeReceiveWindow(uint length)
    {
        lock (_gate)
        {
            if (length > _receiveCredit)
            {
                return false;
            }
            _receiveCredit -= length;
            _undeliveredBytes += length;
            return true;
        }
    }

    /// <summary>Buffers received payload bytes for the application (dropped if the stream no longer reads).</summary>
    internal void Deliver(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            _undeliveredBytes -= data.Length;
            if (!AcceptsDataLocked)
            {
                return;
            }
            _receiveBuffer.Append(data);
        }
        _readable.Set();
    }

    /// <summary>Lends buffer memory so the read loop can read payload from the transport straight into this stream.</summary>
    internal bool TryGetReceiveMemory(int sizeHint, out Memory<byte> memory)
    {
        lock (_gate)
        {
            if (!AcceptsDataLocked)
            {
                memory = default;
                return false;
            }
            return _receiveBuffer.TryGetWriteMemory(sizeHint, out memory);
        }
    }

    /// <summary>Ends a <see cref="TryGetReceiveMemory"/> loan: <paramref name="count"/> bytes were written.</summary>
    internal void CommitReceive(int count)
    {
        lock (_gate)
        {
            _undeliveredBytes -= count;
            _receiveBuffer.Commit(count);
        }
        if (count > 0)
        {
            _readable.Set();
        }
    }

    /// <summary>Adds a window update from the remote; false if the window would overflow 32 bits.</summary>
    internal bool TryAddSendWindow(uint delta)
    {
        if (delta == 0)
        {
            return true;
        }
        if (Interlocked.Add(ref _sendWindow, delta) > uint.MaxValue)
        {
            return false;
        }
        _writable.Set();
        return true;
    }

    /// <summary>Applies the ACK, FIN and RST flags of a frame from the remote.</summary>
    internal void OnRemoteFlags(YamuxFlags flags)
    {
        if ((flags & YamuxFlags.Ack) != 0)
        {
            ReleaseAckSlot();
        }
        if ((flags & (YamuxFlags.Fin | YamuxFlags.Rst)) == 0)
        {
            return;
        }
        bool fullyClosed;
        lock (_gate)
        {
            if ((flags & YamuxFlags.Fin) != 0 && _readState == HalfState.Open)
            {
                _readState = HalfState.Closed;
            }
            if ((flags & YamuxFlags.Rst) != 0)
            {
                if (_readState == HalfState.Open)
                {
                    _readState = HalfState.Reset;
                    _receiveBuffer.Release();
                }
                if (_writeState == HalfState.Open)
                {
                    _writeState = HalfState.Reset;
                }
            }
            fullyClosed = _readState != HalfState.Open && _writeState != HalfState.Open;
        }
        _readable.Set();
        _writable.Set();
        if (fullyClosed)
        {
            _session.RemoveStream(this);
        }
    }

    /// <summary>The session ended: fail whatever is still open.</summary>
    internal void Abort()
    {
        lock (_gate)
        {
            if (_readState == HalfState.Open)
            {
                _readState = HalfState.Aborted;
                _receiveBuffer.Release();
            }
            if (_writeState == HalfState.Open)
            {
                _writeState = HalfState.Aborted;
            }
        }
        _readable.Set();
        _writable.Set();
        OnRemoved();
    }

    /// <summary>Called once the session forgot the stream: stop the linger timer and give back the ACK-backlog slot.</summary>
    internal void OnRemoved()
    {
        Timer? timer;
        lock (_gate)
        {
            _removed = true;
            timer = _lingerTimer;
            _lingerTimer = null;
        }
        timer?.Dispose();
        ReleaseAckSlot();
    }

    private bool AcceptsDataLocked => _readState == HalfState.Open && !_disposed && !_localReset;

    private void ReleaseAckSlot()
    {
        if (Interlocked.Exchange(ref _ackSlotHeld, 0) == 1)
        {
            _session.ReleaseAckSlot();
        }
    }

    private bool TryRead(Span<byte> destination, out int read)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_localReset)
            {
                throw new YamuxStreamResetException(Id, resetByRemote: false);
            }
            if (_receiveBuffer.Length > 0)
            {
                read = _receiveBuffer.Read(destination);
                if (read > 0)
                {
                    GrantWindowLocked();
                }
                return true;
            }
            read = 0;
            return _readState switch
            {
                HalfState.Open => false,
                HalfState.Closed => true,
                HalfState.Reset => throw new YamuxStreamResetException(Id, resetByRemote: true),
                _ => throw _session.CreateClosedException(),
            };
        }
    }

    // Sends a window update once at least half of the target window has been consumed by the application,
    // doubling the target (up to the maximum) when that happened within four round trips.
    private void GrantWindowLocked()
    {
        if (_readState != HalfState.Open)
        {
            return;
        }
        // Everything the remote may still send or has sent and we hold: its credit, the rest of a frame being
        // received, and the buffer. Granting beyond the target would let buffering exceed the window.
        var outstanding = _receiveCredit + _undeliveredBytes + _receiveBuffer.Length;
        var grant = _receiveWindowTarget - outstanding;
        if (grant <= 0 || grant < _receiveWindowTarget / 2)
        {
            return;
        }
        var now = Stopwatch.GetTimestamp();
        var rtt = _session.RoundTripTimestampTicks;
        if (rtt > 0 && _receiveWindowTarget < _maxReceiveWindow && now - _lastGrantTimestamp < 4 * rtt)
        {
            _receiveWindowTarget = (int)Math.Min(2L * _receiveWindowTarget, _maxReceiveWindow);
            grant = _receiveWindowTarget - outstanding;
        }
        _lastGrantTimestamp = now;
        _receiveCredit += grant;
        _session.TryEnqueueControl(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.None, Id, (uint)grant));
    }

    private void ThrowIfCannotWrite()
    {
        lock (_gate)
        {
            ThrowIfCannotWriteLocked(allowClosed: false);
        }
    }

    private void ThrowIfCannotWriteLocked(bool allowClosed)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_localReset)
        {
            throw new YamuxStreamResetException(Id, resetByRemote: false);
        }
        switch (_writeState)
        {
            case HalfState.Open:
                return;
            case HalfState.Closed when allowClosed:
                return;
            case HalfState.Closed:
                throw new InvalidOperationException($"The write side of yamux stream {Id} is closed.");
            case HalfState.Reset:
                throw new YamuxStreamResetException(Id, resetByRemote: true);
            default:
                throw _session.CreateClosedException();
        }
    }

    private void CloseOnDispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        if (!_writeLock.Wait(0))
        {
            // A write is still in flight, so a FIN could not follow its data: abort instead.
            Reset();
            return;
        }
        bool fullyClosed;
        try
        {
            lock (_gate)
            {
                _receiveBuffer.Release();
                if (_writeState == HalfState.Open)
                {
                    _writeState = HalfState.Closed;
                    _session.TryEnqueueControl(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Fin, Id, 0));
                }
                fullyClosed = _readState != HalfState.Open || _localReset;
            }
        }
        finally
        {
            _writeLock.Release();
        }
        _readable.Set();
        _writable.Set();
        if (fullyClosed)
        {
            _session.RemoveStream(this);
        }
        else
        {
            StartLinger();
        }
    }

    // After Dispose the remote may still owe us a FIN; reset the stream if it does not come in time.
    private void StartLinger()
    {
        var timer = new Timer(static state => ((YamuxStream)state!).Reset(), this, Timeout.Infinite, Timeout.Infinite);
        lock (_gate)
        {
            if (!_removed)
            {
                _lingerTimer = timer;
                timer.Change(_session.Settings.StreamCloseTimeout, Timeout.InfiniteTimeSpan);
                return;
            }
        }
        timer.Dispose();
    }
}
