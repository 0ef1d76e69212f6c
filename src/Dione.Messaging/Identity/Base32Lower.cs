namespace Dione.Messaging.Identity;

/// <summary>
/// RFC 4648 base32 with the lowercase alphabet and no padding, as multibase prefix 'b' uses it.
/// Decoding is strict: only lowercase alphabet characters, no padding, and the unused low bits of the last character must be zero,
/// so every byte string has exactly one text form.
/// </summary>
internal static class Base32Lower
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var chars = new char[(data.Length * 8 + 4) / 5];
        var buffer = 0;
        var bits = 0;
        var position = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                chars[position++] = Alphabet[(buffer >> bits) & 31];
            }
        }
        if (bits > 0)
        {
            chars[position++] = Alphabet[(buffer << (5 - bits)) & 31];
        }
        return new string(chars, 0, position);
    }

    /// <exception cref="FormatException">a character outside the alphabet, an impossible length, or non-zero trailing bits.</exception>
    public static byte[] Decode(ReadOnlySpan<char> text)
    {
        var remainder = text.Length * 5 % 8;
        if (remainder >= 5)
        {
            throw new FormatException($"{text.Length} base32 characters cannot encode whole bytes");
        }
        var output = new byte[text.Length * 5 / 8];
        var buffer = 0;
        var bits = 0;
        var position = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var value = ValueOf(text[i]);
            if (value < 0)
            {
                throw new FormatException($"character {i} ('{text[i]}') is not lowercase base32");
            }
            buffer = ((buffer << 5) | value) & 0xFFF;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                output[position++] = (byte)(buffer >> bits);
            }
        }
        if ((buffer & ((1 << bits) - 1)) != 0)
        {
            throw new FormatException("base32 text has non-zero trailing bits (not the canonical encoding)");
        }
        return output;
    }

    private static int ValueOf(char c) => c switch
    {
        >= 'a' and <= 'z' => c - 'a',
        >= '2' and <= '7' => c - '2' + 26,
        _ => -1,
    };
}
