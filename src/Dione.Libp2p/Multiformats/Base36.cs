namespace Dione.Libp2p.Multiformats;

/// <summary>Base36, digits 0-9a-z, case-insensitive when decoding (multibase "base36", prefix 'k'; multibase rfcs/Base36.md).</summary>
public static class Base36
{
    private const string LowerAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static readonly RadixCodec Codec = new(LowerAlphabet, caseInsensitive: true);

    /// <summary>Longest text accepted by <see cref="Decode"/>, to keep the quadratic work bounded.</summary>
    public const int MaxTextLength = 4096;

    /// <summary>Encodes with lower-case digits.</summary>
    public static string Encode(ReadOnlySpan<byte> data) => Codec.Encode(data);

    /// <exception cref="FormatException">a character outside the alphabet, or text longer than <see cref="MaxTextLength"/>.</exception>
    public static byte[] Decode(ReadOnlySpan<char> text)
    {
        if (text.Length > MaxTextLength)
        {
            throw new FormatException("base36 text too long");
        }
        return Codec.Decode(text);
    }
}
