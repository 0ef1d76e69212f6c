using Dione.Libp2p.Security;

namespace Dione.Libp2p.Noise;

/// <summary>
/// The encrypted duplex stream of a Noise session (specs/noise, "Wire Format"): every message is a 2-byte big-endian
/// length followed by a ChaCha20-Poly1305 ciphertext of at most 65535 bytes (65519 plaintext bytes plus the tag).
/// Writes are split into such frames; reads return decrypted bytes, 0 at the transport's end of stream. A frame that
/// fails to authenticate, or a stream that ends inside a frame, raises <see cref="IOException"/> and leaves that
/// direction unusable. One reader and one writer may run at the same time; concurrent reads (or writes) are refused.
/// Disposing the stream disposes the transport. A muxer may seal its frames itself (<see cref="ISealingStream"/>).
/// </summary>
public sealed class NoiseStream : Stream, ISealingStream
{
    private readonly Stream _transport;
    private readonly NoiseFrameReader _reader;
    private readonly NoiseFrameWriter _writer;
    private int _disposed;

    internal NoiseStream(Stream transport, NoiseCipherState sendCipher, NoiseCipherState receiveCipher)
    {
        _transport = transport;
        _reader = new NoiseFrameReader(transport, receiveCipher);
        _writer = new NoiseFrameWriter(transport, sendCipher);
    }

    Stream ISealingStream.Transport => _transport;

    public override bool CanRead => Volatile.Read(ref _disposed) == 0;

    public override bool CanWrite => Volatile.Read(ref _disposed) == 0;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _reader.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _reader.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> buffer) => _reader.Read(buffer);

    public override int Read(byte[] buffer, int offset, int count) => _reader.Read(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _writer.WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(ReadOnlySpan<byte> buffer) => _writer.Write(buffer);

    public override void Write(byte[] buffer, int offset, int count) => _writer.Write(buffer.AsSpan(offset, count));

    public override void Flush() => _transport.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _transport.FlushAsync(cancellationToken);

    int ISealingStream.SealedLength(int headerLength, int payloadLength) => NoiseFrameWriter.SealedLength(headerLength, payloadLength);

    // Every started block of 65519 plaintext bytes, and up to two more (the header's frame, a split remainder), costs a frame's overhead.
    int ISealingStream.PayloadRoom(int headerLength, int space) =>
        space - headerLength - (NoiseFrameWriter.FrameOverhead * ((space / NoiseLimits.MaxPlaintextLength) + 2));

    int ISealingStream.Seal(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload, Span<byte> output) => _writer.Seal(header, payload, output);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            try
            {
                _transport.Dispose();
            }
            finally
            {
                _reader.Dispose();
                _writer.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            try
            {
                await _transport.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                _reader.Dispose();
                _writer.Dispose();
            }
        }
        GC.SuppressFinalize(this);
    }
}
