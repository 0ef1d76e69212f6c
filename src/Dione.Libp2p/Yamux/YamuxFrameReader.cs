using System.Buffers;

namespace Dione.Libp2p.Yamux;

/// <summary>
/// The small read-side buffer of a session: holds bytes read from the transport and cuts frame headers
/// and payload chunks out of them. It never allocates per frame; large payloads bypass it
/// (the session reads them straight into the stream's buffer).
/// </summary>
internal sealed class YamuxFrameReader : IDisposable
{
    private byte[] _buffer;
    private int _start;
    private int _end;

    public YamuxFrameReader(int bufferSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, YamuxHeader.Size * 2);
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    /// <summary>Bytes read from the transport and not consumed yet.</summary>
    public int Buffered => _end - _start;

    /// <summary>Decodes the next header if 12 bytes are buffered.</summary>
    /// <exception cref="YamuxProtocolException">The header is malformed.</exception>
    public bool TryReadHeader(out YamuxHeader header)
    {
        if (_end - _start < YamuxHeader.Size)
        {
            header = default;
            return false;
        }
        header = YamuxHeader.Read(_buffer.AsSpan(_start, YamuxHeader.Size));
        _start += YamuxHeader.Size;
        return true;
    }

    /// <summary>Consumes and returns up to <paramref name="maxBytes"/> buffered bytes (valid until the next fill).</summary>
    public ReadOnlySpan<byte> Take(int maxBytes)
    {
        var n = Math.Min(maxBytes, _end - _start);
        var span = _buffer.AsSpan(_start, n);
        _start += n;
        return span;
    }

    /// <summary>Compacts the buffer and returns its free tail for the next transport read; follow with <see cref="CommitFill"/>.</summary>
    public Memory<byte> GetFillMemory()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        return _buffer.AsMemory(_end);
    }

    /// <summary>Records that <paramref name="count"/> bytes were read into the memory from <see cref="GetFillMemory"/>.</summary>
    public void CommitFill(int count) => _end += count;

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _start = _end = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
