namespace Dione.Libp2p.Multiformats;

/// <summary>Base58 with the Bitcoin alphabet (multibase "base58btc", prefix 'z').</summary>
public static class Base58
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static readonly sbyte[] DecodeMap = BuildDecodeMap();

    /// <summary>Longest text accepted by <see cref="Decode"/>, to keep the quadratic work bounded.</summary>
    public const int MaxTextLength = 4096;

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var zeros = 0;
        while (zeros < data.Length && data[zeros] == 0)
        {
            zeros++;
        }
        // log(256) / log(58) ≈ 1.37
        var digits = new byte[(data.Length - zeros) * 138 / 100 + 1];
        var length = 0;
        for (var i = zeros; i < data.Length; i++)
        {
            int carry = data[i];
            var j = 0;
            for (var k = digits.Length - 1; (carry != 0 || j < length) && k >= 0; k--, j++)
            {
                carry += 256 * digits[k];
                digits[k] = (byte)(carry % 58);
                carry /= 58;
            }
            length = j;
        }
        var start = digits.Length - length;
        while (start < digits.Length && digits[start] == 0)
        {
            start++;
        }
        var chars = new char[zeros + digits.Length - start];
        chars.AsSpan(0, zeros).Fill('1');
        for (var i = start; i < digits.Length; i++)
        {
            chars[zeros + i - start] = Alphabet[digits[i]];
        }
        return new string(chars);
    }

    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxTextLength)
        {
            throw new FormatException("base58 text too long");
        }
        var zeros = 0;
        while (zeros < text.Length && text[zeros] == '1')
        {
            zeros++;
        }
        // log(58) / log(256) ≈ 0.733
        var bytes = new byte[(text.Length - zeros) * 733 / 1000 + 1];
        var length = 0;
        for (var i = zeros; i < text.Length; i++)
        {
            var c = text[i];
            var digit = c < 128 ? DecodeMap[c] : -1;
            if (digit < 0)
            {
                throw new FormatException($"invalid base58 character '{c}'");
            }
            int carry = digit;
            var j = 0;
            for (var k = bytes.Length - 1; (carry != 0 || j < length) && k >= 0; k--, j++)
            {
                carry += 58 * bytes[k];
                bytes[k] = (byte)(carry & 0xff);
                carry >>= 8;
            }
            length = j;
        }
        var start = bytes.Length - length;
        while (start < bytes.Length && bytes[start] == 0)
        {
            start++;
        }
        var result = new byte[zeros + bytes.Length - start];
        bytes.AsSpan(start).CopyTo(result.AsSpan(zeros));
        return result;
    }

    private static sbyte[] BuildDecodeMap()
    {
        var map = new sbyte[128];
        Array.Fill(map, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            map[Alphabet[i]] = (sbyte)i;
        }
        return map;
    }
}
