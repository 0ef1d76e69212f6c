namespace Dione.Libp2p.Tests.TestSupport;

/// <summary>
/// An in-memory duplex stream for tests: reads serve a fixed script of bytes, then end of stream; every write call's
/// bytes are recorded as one entry. Each read returns at most <c>maxReadChunk</c> bytes, or, when <c>chunkSeed</c> is
/// given, a seeded random 1 to <c>maxReadChunk</c> bytes. Everything completes synchronously, except that with
/// <c>yieldOnRead</c> every asynchronous read first yields, as a real transport would, so that other tasks (the
/// application above a session) run between reads. Reads and writes may come from different threads.
/// </summary>
internal sealed class ScriptedDuplexStream(
    byte[]? script = null, int maxReadChunk = int.MaxValue, int? chunkSeed = null, bool yieldOnRead = false) : Stream
{
    private readonly byte[] _script = script ?? [];
    private readonly Random? _chunkRandom = chunkSeed is { } seed ? new Random(seed) : null;
    private readonly Lock _lock = new();
    private int _position;

    /// <summary>Every write call's bytes, in order.</summary>
    public List<byte[]> Writes { get; } = [];

    /// <summary>The script not read yet.</summary>
    public byte[] Unread
    {
        get
        {
            lock (_lock)
            {
                return _script[_position..];
            }
        }
    }

    /// <summary>Whether the stream has been disposed (reads and writes still work afterwards).</summary>
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

    public override int Read(Span<byte> buffer)
    {
        lock (_lock)
        {
            var chunk = _chunkRandom is null ? maxReadChunk : _chunkRandom.Next(1, maxReadChunk + 1);
            var count = Math.Min(Math.Min(buffer.Length, chunk), _script.Length - _position);
            _script.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return yieldOnRead ? YieldThenReadAsync(buffer, cancellationToken) : ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private async ValueTask<int> YieldThenReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return Read(buffer.Span);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_lock)
        {
            Writes.Add(buffer.ToArray());
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
