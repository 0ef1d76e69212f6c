using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Dione.Libp2p.Identity;

namespace Dione.Libp2p.Multiformats.Multiaddr;

/// <summary>IPv4 address: 4 bytes.</summary>
internal sealed class Ip4Codec : IMultiaddrValueCodec
{
    public byte[] Parse(string text)
    {
        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || text.Count(c => c == '.') != 3)
        {
            throw new FormatException($"invalid ip4 address '{text}'");
        }
        return address.GetAddressBytes();
    }

    public string Format(ReadOnlySpan<byte> value) => new IPAddress(value).ToString();
}

/// <summary>IPv6 address: 16 bytes.</summary>
internal sealed class Ip6Codec : IMultiaddrValueCodec
{
    public byte[] Parse(string text)
    {
        if (text.Contains('%') || !IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new FormatException($"invalid ip6 address '{text}'");
        }
        return address.GetAddressBytes();
    }

    public string Format(ReadOnlySpan<byte> value) => new IPAddress(value).ToString();
}

/// <summary>TCP/UDP port: 2 bytes big-endian.</summary>
internal sealed class PortCodec : IMultiaddrValueCodec
{
    public byte[] Parse(string text)
    {
        if (text.Length is 0 or > 5 || !text.All(char.IsAsciiDigit) || !ushort.TryParse(text, out var port))
        {
            throw new FormatException($"invalid port '{text}'");
        }
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, port);
        return bytes;
    }

    public string Format(ReadOnlySpan<byte> value) => BinaryPrimitives.ReadUInt16BigEndian(value).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A UTF-8 string without '/' (dns names, zones, sni).</summary>
internal sealed class Utf8Codec : IMultiaddrValueCodec
{
    public byte[] Parse(string text)
    {
        if (text.Length == 0 || text.Contains('/'))
        {
            throw new FormatException($"invalid name '{text}'");
        }
        return Encoding.UTF8.GetBytes(text);
    }

    public string Format(ReadOnlySpan<byte> value)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(value);
        }
        catch (DecoderFallbackException e)
        {
            throw new FormatException("name is not valid UTF-8", e);
        }
        if (text.Length == 0 || text.Contains('/'))
        {
            throw new FormatException("invalid name value");
        }
        return text;
    }
}

/// <summary>A peer id: binary multihash, text base58btc (or CID).</summary>
internal sealed class PeerIdCodec : IMultiaddrValueCodec
{
    public byte[] Parse(string text) => PeerId.Parse(text).ToBytes();

    public string Format(ReadOnlySpan<byte> value) => PeerId.FromBytes(value).ToString();
}
