namespace Dione.Libp2p.Multiformats;

/// <summary>Base58 with the Bitcoin alphabet (multibase "base58btc", prefix 'z').</summary>
public static class Base58
{
    private static readonly RadixCodec Codec = new("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", caseInsensitive: false);

    /// <summary>Longest text accepted by <see cref="Decode"/>, to keep the quadratic work bounded.</summary>
    public const int MaxTextLength = 4096;

    public static string Encode(ReadOnlySpan<byte> data) => Codec.Encode(data);

    /// <exception cref="FormatException">a character outside the alphabet, or text longer than <see cref="MaxTextLength"/>.</exception>
    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Decode(text.AsSpan());
    }

    /// <exception cref="FormatException">a character outside the alphabet, or text longer than <see cref="MaxTextLength"/>.</exception>
    public static byte[] Decode(ReadOnlySpan<char> text)
    {
        if (text.Length > MaxTextLength)
        {
            throw new FormatException("base58 text too long");
        }
        return Codec.Decode(text);
    }
}
