using System.Buffers;

namespace Dione.Libp2p.Yamux;

/// <summary>
/// Bytes received for one stream and not yet read by the application: a queue of pooled segments.
/// Not thread-safe: every member must be called under the owning stream's lock. One producer (the session's
/// read loop) may fill the memory returned by <see cref="TryGetWriteMemory"/> outside the lock until it calls
/// <see cref="Commit"/>; the consumer never returns that segment to the pool meanwhile.
/// </summary>
internal sealed class YamuxReceiveBuffer
{
    private const int MinSegmentSize = 4 * 1024;
    private const int MaxSegmentSize = 256 * 1024;
    private const int DirectFillSize = 64 * 1024;

    private Segment[] _segments = new Segment[2];
    private int _head;
    private int _count;
    private bool _producerActive;
    private bool _released;

    /// <summary>Bytes buffered and readable.</summary>
    public int Length { get; private set; }

    /// <summary>Copies <paramref name="data"/> to the end of the buffer (dropped once released).</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (_released)
        {
            return;
        }
        while (!data.IsEmpty)
        {
            if (_count == 0 || TailFree == 0)
            {
                AddSegment(data.Length);
            }
            ref var tail = ref Tail;
            var n = Math.Min(data.Length, tail.Array.Length - tail.End);
            data[..n].CopyTo(tail.Array.AsSpan(tail.End));
            tail.End += n;
            Length += n;
            data = data[n..];
        }
    }

    /// <summary>
    /// Returns memory at the end of the buffer for the producer to fill directly (at most <paramref name="sizeHint"/> bytes);
    /// false once released. The producer must call <see cref="Commit"/> next.
    /// </summary>
    public bool TryGetWriteMemory(int sizeHint, out Memory<byte> memory)
    {
        if (_released || _producerActive)
        {
            memory = default;
            return false;
        }
        // Lend at least a whole transport record when that much is coming (a secure channel such as Noise can then
        // decrypt straight into it instead of into its own buffer and copying); the abandoned tail is < 64 KiB.
        if (_count == 0 || TailFree < Math.Min(sizeHint, DirectFillSize))
        {
            AddSegment(sizeHint);
        }
        ref var tail = ref Tail;
        memory = tail.Array.AsMemory(tail.End, Math.Min(sizeHint, tail.Array.Length - tail.End));
        _producerActive = true;
        return true;
    }

    /// <summary>Makes <paramref name="count"/> bytes written into the memory from <see cref="TryGetWriteMemory"/> readable.</summary>
    public void Commit(int count)
    {
        if (!_producerActive)
        {
            return;
        }
        _producerActive = false;
        if (_released)
        {
            ReturnAll();
            return;
        }
        Tail.End += count;
        Length += count;
    }

    /// <summary>Moves up to <paramref name="destination"/>.Length buffered bytes out; returns how many.</summary>
    public int Read(Span<byte> destination)
    {
        if (_released)
        {
            return 0;
        }
        var total = 0;
        while (_count > 0 && total < destination.Length)
        {
            ref var head = ref _segments[_head];
            var n = Math.Min(head.End - head.Start, destination.Length - total);
            head.Array.AsSpan(head.Start, n).CopyTo(destination[total..]);
            head.Start += n;
            total += n;
            Length -= n;
            if (head.Start < head.End || !TryDropHead())
            {
                break;
            }
        }
        return total;
    }

    /// <summary>Drops all buffered bytes and returns the segments to the pool; later appends are ignored.</summary>
    public void Release()
    {
        if (_released)
        {
            return;
        }
        _released = true;
        Length = 0;
        if (!_producerActive)
        {
            ReturnAll();
            return;
        }
        // The producer is still filling the tail: keep it until Commit.
        var tail = Tail;
        while (_count > 1)
        {
            ArrayPool<byte>.Shared.Return(_segments[_head].Array);
            _segments[_head] = default;
            _head = (_head + 1) % _segments.Length;
            _count--;
        }
        _segments[_head] = tail;
    }

    private ref Segment Tail => ref _segments[(_head + _count - 1) % _segments.Length];

    private int TailFree => _count == 0 ? 0 : Tail.Array.Length - Tail.End;

    private bool TryDropHead()
    {
        if (_count == 1 && _producerActive)
        {
            return false;
        }
        ArrayPool<byte>.Shared.Return(_segments[_head].Array);
        _segments[_head] = default;
        _head = (_head + 1) % _segments.Length;
        _count--;
        return true;
    }

    private void AddSegment(int sizeHint)
    {
        if (_count == _segments.Length)
        {
            var grown = new Segment[_segments.Length * 2];
            for (var i = 0; i < _count; i++)
            {
                grown[i] = _segments[(_head + i) % _segments.Length];
            }
            _segments = grown;
            _head = 0;
        }
        // Small segments while the application keeps up; large ones once data backs up, so that a full
        // window needs few segments (few enough for the shared pool to keep recycling them).
        var size = Math.Clamp(Math.Max(sizeHint, Length), MinSegmentSize, MaxSegmentSize);
        var array = ArrayPool<byte>.Shared.Rent(size);
        _segments[(_head + _count) % _segments.Length] = new Segment(array);
        _count++;
    }

    private void ReturnAll()
    {
        while (_count > 0)
        {
            ArrayPool<byte>.Shared.Return(_segments[_head].Array);
            _segments[_head] = default;
            _head = (_head + 1) % _segments.Length;
            _count--;
        }
        _head = 0;
    }

    private struct Segment(byte[] array)
    {
        public readonly byte[] Array = array;
        public int Start;
        public int End;
    }
}
