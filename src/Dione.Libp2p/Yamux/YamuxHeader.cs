using System.Buffers.Binary;

namespace Dione.Libp2p.Yamux;

/// <summary>
/// The fixed 12-byte header that starts every yamux frame: version (8 bits), type (8), flags (16),
/// stream id (32) and length (32), all big-endian.
/// </summary>
internal readonly record struct YamuxHeader(YamuxFrameType Type, YamuxFlags Flags, uint StreamId, uint Length)
{
    /// <summary>Encoded size of a header in bytes.</summary>
    public const int Size = 12;

    /// <summary>The only protocol version that exists.</summary>
    public const byte ProtocolVersion = 0;

    /// <summary>Writes the header into the first <see cref="Size"/> bytes of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination = destination[..Size];
        destination[0] = ProtocolVersion;
        destination[1] = (byte)Type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)Flags);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], StreamId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Length);
    }

    /// <summary>
    /// Decodes the header in the first <see cref="Size"/> bytes of <paramref name="source"/>.
    /// Unknown flag bits are kept; they are ignored by the session.
    /// </summary>
    /// <exception cref="YamuxProtocolException">The version is not 0 or the type is unknown.</exception>
    /// <exception cref="ArgumentException">Fewer than <see cref="Size"/> bytes were given.</exception>
    public static YamuxHeader Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
        {
            throw new ArgumentException($"A yamux header needs {Size} bytes.", nameof(source));
        }
        if (source[0] != ProtocolVersion)
        {
            throw new YamuxProtocolException($"Unsupported yamux version {source[0]}.");
        }
        var type = source[1];
        if (type > (byte)YamuxFrameType.GoAway)
        {
            throw new YamuxProtocolException($"Unknown yamux frame type {type}.");
        }
        return new YamuxHeader(
            (YamuxFrameType)type,
            (YamuxFlags)BinaryPrimitives.ReadUInt16BigEndian(source[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[8..]));
    }
}
