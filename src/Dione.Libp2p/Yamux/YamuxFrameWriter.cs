using System.Buffers;
using Dione.Libp2p.Security;

namespace Dione.Libp2p.Yamux;

/// <summary>
/// The single writer of a session. Frames are encoded (header and payload together) into a pooled batch
/// buffer; one loop swaps the batch out, writes it to the transport in one call and flushes once per batch.
/// While the loop writes one batch the next one fills, so producers rarely wait.
/// Data frames stop at <c>MaxFrameSize + 12</c> bytes per batch (producers then wait for the next batch);
/// small control frames may use a further reserve so that the read loop never blocks on sending
/// (window updates, pongs, RSTs). A write that takes longer than the write timeout faults the session.
/// Over a secured stream that can seal frames for us (<see cref="ISealingStream"/>, e.g. Noise) the frames are
/// encrypted as they are queued, straight from the producer's memory into the batch, and the batch goes to the
/// stream below the secure channel: the payload is read once and no second buffer is filled.
/// </summary>
internal sealed class YamuxFrameWriter
{
    private const int InitialBatchSize = 16 * 1024;
    private const int ControlReserve = 64 * 1024;
    private const int MinDataChunk = 1024;

    private readonly Stream _transport;
    private readonly ISealingStream? _sealer;
    private readonly int _dataLimit;
    private readonly int _hardLimit;
    private readonly TimeSpan _writeTimeout;
    private readonly Func<Exception> _closedException;
    private readonly Action<Exception> _onFault;
    private readonly Lock _gate = new();
    private readonly AsyncAutoResetSignal _wake = new();
    private readonly CancellationTokenSource _writeDeadline = new();
    private byte[]? _batch;
    private int _batchLength;
    private long _queuedBytes;
    private long _writtenBytes;
    private TaskCompletionSource? _spaceFreed;
    private TaskCompletionSource? _batchWritten;
    private bool _closed;

    public YamuxFrameWriter(Stream transport, int maxFrameSize, TimeSpan writeTimeout, Func<Exception> closedException, Action<Exception> onFault)
    {
        if (transport is ISealingStream sealer)
        {
            _sealer = sealer;
            transport = sealer.Transport;
        }
        _transport = transport;
        _dataLimit = EncodedLength(maxFrameSize);
        _hardLimit = _dataLimit + (ControlReserve / YamuxHeader.Size * EncodedLength(0));
        _writeTimeout = writeTimeout;
        _closedException = closedException;
        _onFault = onFault;
    }

    /// <summary>Queues a payload-less frame; false if the writer is closed or the control reserve is exhausted.</summary>
    public bool TryEnqueueControl(YamuxHeader header)
    {
        Exception? fault = null;
        lock (_gate)
        {
            var length = EncodedLength(0);
            if (_closed || !EnsureRoom(length, _hardLimit))
            {
                return false;
            }
            try
            {
                Encode(header, [], _batch.AsSpan(_batchLength, length));
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                fault = ex;
            }
            if (fault is null)
            {
                _batchLength += length;
                _queuedBytes += length;
            }
        }
        if (fault is not null)
        {
            _onFault(fault);
            return false;
        }
        _wake.Set();
        return true;
    }

    /// <summary>
    /// Queues one data frame with as much of <paramref name="payload"/> as fits in the current batch and returns
    /// its payload size. Returns 0 when the batch has no room; then <paramref name="spaceFreed"/> completes once
    /// the writer takes the batch.
    /// </summary>
    /// <exception cref="YamuxSessionClosedException">The session has ended.</exception>
    public int TryEnqueueData(uint streamId, ReadOnlySpan<byte> payload, out Task? spaceFreed)
    {
        int n;
        Exception? fault = null;
        lock (_gate)
        {
            if (_closed)
            {
                throw _closedException();
            }
            var room = PayloadRoom(_dataLimit - _batchLength);
            if (room <= 0 || room < Math.Min(payload.Length, MinDataChunk))
            {
                spaceFreed = (_spaceFreed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                return 0;
            }
            n = Math.Min(payload.Length, room);
            var length = EncodedLength(n);
            // A bulk writer's batch is rented at its full size at once, so it is not re-copied as it grows.
            EnsureRoom(length, _dataLimit, payload.Length >= InitialBatchSize ? _dataLimit : InitialBatchSize);
            try
            {
                Encode(new YamuxHeader(YamuxFrameType.Data, YamuxFlags.None, streamId, (uint)n), payload[..n], _batch.AsSpan(_batchLength, length));
                _batchLength += length;
                _queuedBytes += length;
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                fault = ex;
            }
        }
        if (fault is not null)
        {
            _onFault(fault);
            throw _closedException();
        }
        spaceFreed = null;
        _wake.Set();
        return n;
    }

    /// <summary>Waits until every frame queued before the call has been written to the transport.</summary>
    /// <exception cref="YamuxSessionClosedException">The session ended first.</exception>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        long target;
        lock (_gate)
        {
            target = _queuedBytes;
        }
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (_writtenBytes >= target)
                {
                    return;
                }
                if (_closed)
                {
                    throw _closedException();
                }
                wait = (_batchWritten ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The write loop; ends when <paramref name="cancellationToken"/> fires or the transport fails (reported to the fault callback).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var registration = _writeDeadline.Token.UnsafeRegister(
            static state => ((YamuxFrameWriter)state!).OnWriteTimeout(), this);
        try
        {
            while (true)
            {
                await _wake.WaitAsync(cancellationToken).ConfigureAwait(false);
                while (TryTakeBatch(out var batch, out var length))
                {
                    try
                    {
                        _writeDeadline.CancelAfter(_writeTimeout);
                        await _transport.WriteAsync(batch.AsMemory(0, length), _writeDeadline.Token).ConfigureAwait(false);
                        await _transport.FlushAsync(_writeDeadline.Token).ConfigureAwait(false);
                        _writeDeadline.CancelAfter(Timeout.InfiniteTimeSpan);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(batch);
                    }
                    CompleteBatch(length);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The session is closing.
        }
        catch (Exception ex)
        {
            _onFault(_writeDeadline.IsCancellationRequested
                ? new TimeoutException("A write to the transport timed out.", ex)
                : ex);
        }
        finally
        {
            registration.Dispose();
            _writeDeadline.Dispose();
        }
    }

    /// <summary>Stops accepting frames, drops the unsent batch and wakes everyone waiting on the writer.</summary>
    public void Close()
    {
        TaskCompletionSource? spaceFreed;
        TaskCompletionSource? batchWritten;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }
            _closed = true;
            if (_batch is not null)
            {
                ArrayPool<byte>.Shared.Return(_batch);
                _batch = null;
                _batchLength = 0;
            }
            spaceFreed = _spaceFreed;
            batchWritten = _batchWritten;
            _spaceFreed = null;
            _batchWritten = null;
        }
        spaceFreed?.TrySetResult();
        batchWritten?.TrySetResult();
        _wake.Set();
    }

    private void OnWriteTimeout() => _onFault(new TimeoutException("A write to the transport timed out: the transport is stalled."));

    private bool TryTakeBatch(out byte[] batch, out int length)
    {
        TaskCompletionSource? spaceFreed;
        lock (_gate)
        {
            if (_closed || _batch is null || _batchLength == 0)
            {
                batch = [];
                length = 0;
                return false;
            }
            batch = _batch;
            length = _batchLength;
            _batch = null;
            _batchLength = 0;
            spaceFreed = _spaceFreed;
            _spaceFreed = null;
        }
        spaceFreed?.TrySetResult();
        return true;
    }

    private void CompleteBatch(int length)
    {
        TaskCompletionSource? batchWritten;
        lock (_gate)
        {
            _writtenBytes += length;
            batchWritten = _batchWritten;
            _batchWritten = null;
        }
        batchWritten?.TrySetResult();
    }

    // The wire size of a frame with `payloadLength` payload bytes.
    private int EncodedLength(int payloadLength) => _sealer is null
        ? YamuxHeader.Size + payloadLength
        : _sealer.SealedLength(YamuxHeader.Size, payloadLength);

    // The largest payload whose frame fits in `space` bytes (a lower bound when sealing; <= 0 when none fits).
    private int PayloadRoom(int space) => _sealer is null
        ? space - YamuxHeader.Size
        : _sealer.PayloadRoom(YamuxHeader.Size, space);

    // Must hold _gate. Writes the frame (sealed when the transport seals) into `destination`, of exactly EncodedLength bytes.
    private void Encode(YamuxHeader header, ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        if (_sealer is null)
        {
            header.WriteTo(destination);
            payload.CopyTo(destination[YamuxHeader.Size..]);
            return;
        }
        Span<byte> encoded = stackalloc byte[YamuxHeader.Size];
        header.WriteTo(encoded);
        _sealer.Seal(encoded, payload, destination);
    }

    // Must hold _gate. Makes room for `needed` more bytes unless the batch would exceed `limit`.
    private bool EnsureRoom(int needed, int limit, int initialSize = InitialBatchSize)
    {
        var required = _batchLength + needed;
        if (required > limit)
        {
            return false;
        }
        if (_batch is null)
        {
            _batch = ArrayPool<byte>.Shared.Rent(Math.Max(initialSize, required));
        }
        else if (_batch.Length < required)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(Math.Max(_batch.Length * 2, required), Math.Min(initialSize, limit)));
            _batch.AsSpan(0, _batchLength).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_batch);
            _batch = grown;
        }
        return true;
    }
}
