using System.Text;

namespace Dione.Libp2p.Multiformats.Multiaddr;

/// <summary>A non-empty UTF-8 name without '/' (dns, dns4, dns6, dnsaddr, sni, ip6zone).</summary>
internal sealed class NameCodec : IMultiaddrValueCodec
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public byte[] Parse(string text)
    {
        if (text.Length == 0 || text.Contains('/'))
        {
            throw new FormatException($"invalid name '{text}'");
        }
        try
        {
            return StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new FormatException("name is not valid Unicode", e);
        }
    }

    public string Format(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value.Contains((byte)'/'))
        {
            throw new FormatException("name is empty or contains '/'");
        }
        try
        {
            return StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException e)
        {
            throw new FormatException("name is not valid UTF-8", e);
        }
    }
}
