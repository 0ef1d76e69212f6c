using System.Globalization;

namespace Dione.Libp2p.Multiformats.Multiaddr;

/// <summary>CIDR prefix length: 1 byte; text is decimal 0..255 (as go-multiaddr, which does not check it against the address family).</summary>
internal sealed class IpCidrCodec : IMultiaddrValueCodec
{
    public byte[] Parse(string text)
    {
        if (text.Length is 0 or > 3 || !text.All(char.IsAsciiDigit)
            || !byte.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bits))
        {
            throw new FormatException($"invalid ipcidr '{text}'");
        }
        return [bits];
    }

    public string Format(ReadOnlySpan<byte> value) => value[0].ToString(CultureInfo.InvariantCulture);
}
