namespace Dione.Cli.Api;

/// <summary>
/// A read-only view of a newline-delimited JSON reply that refuses any line longer than a cap. The JSON reader
/// buffers one value at a time, so capping lines caps its memory, even on a stream that never ends.
/// </summary>
public sealed class LineLimitedStream(Stream inner, int maxLineBytes) : Stream
{
    private long _lineLength;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <exception cref="InvalidDataException">a line is longer than the cap.</exception>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Count(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Count(buffer.AsSpan(offset, read));
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private void Count(ReadOnlySpan<byte> bytes)
    {
        while (true)
        {
            var end = bytes.IndexOf((byte)'\n');
            _lineLength += end < 0 ? bytes.Length : end;
            if (_lineLength > maxLineBytes)
            {
                throw new InvalidDataException($"a line of the daemon's reply is longer than {maxLineBytes} bytes");
            }
            if (end < 0)
            {
                return;
            }
            _lineLength = 0;
            bytes = bytes[(end + 1)..];
        }
    }
}
