using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dione.Libp2p.Multiformats.Multiaddr;

/// <summary>
/// IPv6 address: 16 bytes. Text is written as RFC 5952 (lower case, longest zero run of two or more groups
/// compressed), with the IPv4-mapped range as <c>::ffff:a.b.c.d</c>, the way go-multiaddr writes it.
/// Zones belong in a preceding <c>/ip6zone</c>, so '%' is refused.
/// </summary>
internal sealed class Ip6Codec : IMultiaddrValueCodec
{
    public byte[] Parse(string text)
    {
        if (!text.Contains(':') || !text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.')
            || !IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new FormatException($"invalid ip6 address '{text}'");
        }
        return address.GetAddressBytes();
    }

    public string Format(ReadOnlySpan<byte> value)
    {
        if (value[..10].IndexOfAnyExcept((byte)0) < 0 && value[10] == 0xff && value[11] == 0xff)
        {
            return "::ffff:" + new IPAddress(value[12..]);
        }
        Span<ushort> groups = stackalloc ushort[8];
        for (var i = 0; i < 8; i++)
        {
            groups[i] = BinaryPrimitives.ReadUInt16BigEndian(value[(2 * i)..]);
        }
        var (runStart, runLength) = LongestZeroRun(groups);
        var text = new StringBuilder(39);
        for (var i = 0; i < 8; i++)
        {
            if (i == runStart)
            {
                text.Append("::");
                i += runLength - 1;
                continue;
            }
            if (text.Length > 0 && text[^1] != ':')
            {
                text.Append(':');
            }
            text.Append(groups[i].ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    private static (int Start, int Length) LongestZeroRun(ReadOnlySpan<ushort> groups)
    {
        int bestStart = -1, bestLength = 0;
        for (var i = 0; i < groups.Length;)
        {
            if (groups[i] != 0)
            {
                i++;
                continue;
            }
            var start = i;
            while (i < groups.Length && groups[i] == 0)
            {
                i++;
            }
            if (i - start > bestLength)
            {
                (bestStart, bestLength) = (start, i - start);
            }
        }
        return bestLength >= 2 ? (bestStart, bestLength) : (-1, 0);
    }
}
