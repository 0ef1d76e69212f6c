namespace Dione.Libp2p.Tests.Noise;

/// <summary>A transport that records every write (one entry per call) and serves reads from fixed bytes, at most
/// <c>maxRead</c> bytes per call.</summary>
internal sealed class RecordingStream(byte[]? input = null, int maxRead = int.MaxValue) : Stream
{
    private readonly MemoryStream _input = new(input ?? []);

    public List<byte[]> Writes { get; } = [];

    public bool Disposed { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, Math.Min(count, maxRead));

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Writes.Add(buffer.AsSpan(offset, count).ToArray());

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
