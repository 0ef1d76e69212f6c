using System.Net;

namespace Dione.Libp2p.Multiformats.Multiaddr;

/// <summary>IPv4 address: 4 bytes; text is strict dotted decimal (no leading zeros, no shorthand forms).</summary>
internal sealed class Ip4Codec : IMultiaddrValueCodec
{
    public byte[] Parse(string text)
    {
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            throw new FormatException($"invalid ip4 address '{text}'");
        }
        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var part = parts[i];
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit) || (part.Length > 1 && part[0] == '0')
                || !byte.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out bytes[i]))
            {
                throw new FormatException($"invalid ip4 address '{text}'");
            }
        }
        return bytes;
    }

    public string Format(ReadOnlySpan<byte> value) => new IPAddress(value).ToString();
}
