using System.Buffers.Binary;
using System.Globalization;

namespace Dione.Libp2p.Multiformats.Multiaddr;

/// <summary>TCP/UDP/SCTP/DCCP port: 2 bytes big-endian; text is decimal 0..65535.</summary>
internal sealed class PortCodec : IMultiaddrValueCodec
{
    public byte[] Parse(string text)
    {
        if (text.Length is 0 or > 5 || !text.All(char.IsAsciiDigit)
            || !ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new FormatException($"invalid port '{text}'");
        }
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, port);
        return bytes;
    }

    public string Format(ReadOnlySpan<byte> value) =>
        BinaryPrimitives.ReadUInt16BigEndian(value).ToString(CultureInfo.InvariantCulture);
}
