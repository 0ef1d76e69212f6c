using System.Text;

namespace Dione.Kademlia.Bootstrap;

/// <summary>
/// Domain names (RFC 1035 section 3.1): text to wire labels for queries, and the canonical text form that both query
/// names and names read from responses are compared in (lower case, no trailing dot, bytes other than letters, digits,
/// '-' and '_' escaped as <c>\DDD</c>).
/// </summary>
internal static class DnsName
{
    public const int MaxLabelLength = 63;

    /// <summary>Largest encoded name, length bytes and the root byte included.</summary>
    public const int MaxEncodedLength = 255;

    /// <summary>
    /// The wire form of <paramref name="name"/> (one trailing dot allowed). Only letters, digits, '-' and '_' are
    /// accepted in labels, which keeps names from resolved multiaddrs from smuggling anything else into a query.
    /// </summary>
    /// <exception cref="ArgumentException">empty labels, labels over 63 bytes, a name over 255 bytes, other characters.</exception>
    public static byte[] Encode(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.EndsWith('.') ? name[..^1] : name;
        if (trimmed.Length == 0 || trimmed.Length + 2 > MaxEncodedLength)
        {
            throw new ArgumentException($"invalid DNS name length: '{Shorten(name)}'", nameof(name));
        }
        var encoded = new byte[trimmed.Length + 2];
        var offset = 0;
        foreach (var label in trimmed.Split('.'))
        {
            if (label.Length is 0 or > MaxLabelLength)
            {
                throw new ArgumentException($"invalid DNS label length in '{Shorten(name)}'", nameof(name));
            }
            encoded[offset++] = (byte)label.Length;
            foreach (var c in label)
            {
                if (c > 0x7f || !IsPlain((byte)c))
                {
                    throw new ArgumentException($"invalid character in DNS name '{Shorten(name)}'", nameof(name));
                }
                encoded[offset++] = (byte)c;
            }
        }
        encoded[offset] = 0;
        return encoded;
    }

    /// <summary>The canonical text form of a valid name given as text.</summary>
    /// <exception cref="ArgumentException">as <see cref="Encode"/>.</exception>
    public static string Canonical(string name)
    {
        Encode(name);
        var trimmed = name.EndsWith('.') ? name[..^1] : name;
        return trimmed.ToLowerInvariant();
    }

    /// <summary>Appends one label read from a message, in canonical form, with a separating dot when needed.</summary>
    public static void AppendLabel(StringBuilder text, ReadOnlySpan<byte> label)
    {
        if (text.Length > 0)
        {
            text.Append('.');
        }
        foreach (var b in label)
        {
            if (IsPlain(b))
            {
                text.Append(char.ToLowerInvariant((char)b));
            }
            else
            {
                text.Append('\\').Append(((int)b).ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    private static bool IsPlain(byte b) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_';

    private static string Shorten(string name) => name.Length <= 80 ? name : name[..80] + "…";
}
