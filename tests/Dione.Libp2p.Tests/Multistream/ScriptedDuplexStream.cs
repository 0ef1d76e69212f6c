namespace Dione.Libp2p.Tests.Multistream;

/// <summary>
/// An in-memory duplex stream for tests: reads serve a fixed script of bytes (at most
/// <c>maxReadChunk</c> per read, then end of stream), writes are recorded one entry per write call.
/// Everything completes synchronously.
/// </summary>
internal sealed class ScriptedDuplexStream : Stream
{
    private readonly byte[] _input;
    private readonly int _maxReadChunk;
    private int _position;

    public ScriptedDuplexStream(byte[] input, int maxReadChunk = int.MaxValue)
    {
        _input = input;
        _maxReadChunk = maxReadChunk;
    }

    /// <summary>Every write call's bytes, in order.</summary>
    public List<byte[]> Writes { get; } = [];

    /// <summary>The input not read yet.</summary>
    public byte[] Unread => _input[_position..];

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
        var count = Math.Min(Math.Min(buffer.Length, _maxReadChunk), _input.Length - _position);
        _input.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(ReadOnlySpan<byte> buffer) => Writes.Add(buffer.ToArray());

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
}
