using System.Runtime.ExceptionServices;

namespace Dione.Libp2p.Multistream;

/// <summary>
/// The stream <see cref="MultistreamSelect.SelectLazy"/> returns. The handshake (header and proposal)
/// is written when the stream is created; later writes wait for it and then go straight through.
/// The first read consumes the listener's header and echo before any protocol data is returned.
/// Reads and writes may run concurrently with each other (one of each at a time, as for any stream).
/// </summary>
internal sealed class LazyNegotiationStream : Stream
{
    private readonly Stream _inner;
    private readonly string _protocol;
    private readonly Task _handshakeWrite;
    private bool _handshakeRead;
    private ExceptionDispatchInfo? _handshakeReadFailure;

    public LazyNegotiationStream(Stream inner, string protocol)
    {
        _inner = inner;
        _protocol = protocol;
        _handshakeWrite = WriteHandshakeAsync(inner, MultistreamMessage.Encode(MultistreamSelect.ProtocolId, protocol));
    }

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_handshakeRead)
        {
            await ReadHandshakeAsync(cancellationToken).ConfigureAwait(false);
        }
        return await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _handshakeWrite.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _handshakeWrite.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await ObserveHandshakeWriteAsync().ConfigureAwait(false);
        await _inner.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ObserveHandshakeWriteAsync().GetAwaiter().GetResult();
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private static async Task WriteHandshakeAsync(Stream inner, byte[] handshake)
    {
        await inner.WriteAsync(handshake).ConfigureAwait(false);
        await inner.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Waits for the handshake write so its outcome is observed; its error no longer matters at close.</summary>
    private async Task ObserveHandshakeWriteAsync()
    {
        try
        {
            await _handshakeWrite.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException or InvalidOperationException)
        {
            // The connection is going away anyway.
        }
    }

    private async Task ReadHandshakeAsync(CancellationToken cancellationToken)
    {
        _handshakeReadFailure?.Throw();
        try
        {
            await MultistreamSelect.ExpectHeaderAsync(_inner, cancellationToken).ConfigureAwait(false);
            var answer = await MultistreamMessage.ReadAsync(_inner, cancellationToken).ConfigureAwait(false);
            if (answer == MultistreamMessage.NotAvailable)
            {
                throw new ProtocolNegotiationException($"the listener does not support '{_protocol}'");
            }
            if (answer != _protocol)
            {
                throw new ProtocolNegotiationException(
                    $"listener answered {MultistreamMessage.Quote(answer)} to the proposal '{_protocol}'");
            }
            _handshakeRead = true;
        }
        catch (OperationCanceledException e)
        {
            // Part of a message may have been consumed: the stream cannot be read from any more.
            _handshakeReadFailure = ExceptionDispatchInfo.Capture(
                new ProtocolNegotiationException("the negotiation read was cancelled part way", e));
            throw;
        }
        catch (Exception e)
        {
            _handshakeReadFailure = ExceptionDispatchInfo.Capture(e);
            throw;
        }
    }
}
