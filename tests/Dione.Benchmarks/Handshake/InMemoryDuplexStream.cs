using System.IO.Pipelines;

namespace Dione.Benchmarks.Handshake;

/// <summary>
/// One end of an in-memory connection: reads what the other end wrote, writes what the other end reads. Two
/// <see cref="Pipe"/>s, one per direction, so a handshake runs without sockets or the kernel in the measurement.
/// </summary>
internal sealed class InMemoryDuplexStream : Stream
{
    private readonly Stream _incoming;
    private readonly Stream _outgoing;

    private InMemoryDuplexStream(PipeReader incoming, PipeWriter outgoing)
    {
        _incoming = incoming.AsStream();
        _outgoing = outgoing.AsStream();
    }

    /// <summary>A connected pair: what <c>A</c> writes <c>B</c> reads, and the other way round.</summary>
    public static (InMemoryDuplexStream A, InMemoryDuplexStream B) CreatePair()
    {
        var aToB = new Pipe();
        var bToA = new Pipe();
        return (new InMemoryDuplexStream(bToA.Reader, aToB.Writer), new InMemoryDuplexStream(aToB.Reader, bToA.Writer));
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => _incoming.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _incoming.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _incoming.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _outgoing.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _outgoing.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _outgoing.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Flush() => _outgoing.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _outgoing.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _incoming.Dispose();
            _outgoing.Dispose();
        }
        base.Dispose(disposing);
    }
}
