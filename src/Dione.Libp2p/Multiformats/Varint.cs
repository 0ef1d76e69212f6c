namespace Dione.Libp2p.Multiformats;

/// <summary>
/// Unsigned LEB128 varint as the multiformats unsigned-varint spec defines it:
/// at most 9 bytes (63 bits), minimal encoding only.
/// </summary>
public static class Varint
{
    /// <summary>The longest encoding the multiformats spec allows.</summary>
    public const int MaxLength = 9;

    /// <summary>The largest value a 9-byte varint can carry (2^63 - 1).</summary>
    public const ulong MaxValue = long.MaxValue;

    public static int SizeOf(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    /// <summary>Writes <paramref name="value"/> (at most <see cref="MaxValue"/>) and returns the bytes written.</summary>
    public static int Write(Span<byte> destination, ulong value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxValue);
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    public static byte[] Encode(ulong value)
    {
        var bytes = new byte[SizeOf(value)];
        Write(bytes, value);
        return bytes;
    }

    /// <summary>
    /// Reads a varint from the start of <paramref name="source"/>.
    /// Returns the number of bytes consumed, 0 when more bytes are needed.
    /// Throws <see cref="FormatException"/> on an over-long or non-minimal encoding.
    /// </summary>
    public static int TryRead(ReadOnlySpan<byte> source, out ulong value)
    {
        value = 0;
        for (var i = 0; i < source.Length; i++)
        {
            if (i == MaxLength)
            {
                throw new FormatException("varint longer than 9 bytes");
            }
            var b = source[i];
            value |= (ulong)(b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0)
                {
                    throw new FormatException("varint is not minimally encoded");
                }
                return i + 1;
            }
        }
        if (source.Length >= MaxLength)
        {
            throw new FormatException("varint longer than 9 bytes");
        }
        value = 0;
        return 0;
    }

    /// <summary>Reads a complete varint or throws <see cref="FormatException"/>.</summary>
    public static ulong Read(ReadOnlySpan<byte> source, out int length)
    {
        length = TryRead(source, out var value);
        if (length == 0)
        {
            throw new FormatException("truncated varint");
        }
        return value;
    }

    /// <summary>Reads one varint from a stream, one byte at a time. Returns null at a clean end of stream.</summary>
    public static async ValueTask<ulong?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[1];
        ulong value = 0;
        for (var i = 0; ; i++)
        {
            if (i == MaxLength)
            {
                throw new FormatException("varint longer than 9 bytes");
            }
            var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (i == 0)
                {
                    return null;
                }
                throw new EndOfStreamException("stream ended inside a varint");
            }
            var b = buffer[0];
            value |= (ulong)(b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0)
                {
                    throw new FormatException("varint is not minimally encoded");
                }
                return value;
            }
        }
    }
}
