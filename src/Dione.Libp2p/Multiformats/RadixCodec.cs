using Dione.Primitives.Encoding;

namespace Dione.Libp2p.Multiformats;

/// <summary>
/// Big-number base conversion (the base58/base36 scheme): leading zero bytes become leading zero digits,
/// the rest is read as one big-endian number. Work is quadratic, so callers cap the input length.
/// </summary>
internal sealed class RadixCodec
{
    private readonly string _alphabet;
    private readonly sbyte[] _decodeMap;
    private readonly double _bytesPerDigit;

    public RadixCodec(string alphabet, bool caseInsensitive)
    {
        _alphabet = alphabet;
        _decodeMap = AlphabetDecodeMap.Build(alphabet, caseInsensitive);
        _bytesPerDigit = Math.Log(alphabet.Length) / Math.Log(256);
    }

    private int Radix => _alphabet.Length;

    public string Encode(ReadOnlySpan<byte> data)
    {
        var zeros = 0;
        while (zeros < data.Length && data[zeros] == 0)
        {
            zeros++;
        }
        var digits = new byte[(int)((data.Length - zeros) / _bytesPerDigit) + 1];
        var length = 0;
        for (var i = zeros; i < data.Length; i++)
        {
            int carry = data[i];
            var j = 0;
            for (var k = digits.Length - 1; (carry != 0 || j < length) && k >= 0; k--, j++)
            {
                carry += 256 * digits[k];
                digits[k] = (byte)(carry % Radix);
                carry /= Radix;
            }
            length = j;
        }
        var start = digits.Length - length;
        while (start < digits.Length && digits[start] == 0)
        {
            start++;
        }
        var chars = new char[zeros + digits.Length - start];
        chars.AsSpan(0, zeros).Fill(_alphabet[0]);
        for (var i = start; i < digits.Length; i++)
        {
            chars[zeros + i - start] = _alphabet[digits[i]];
        }
        return new string(chars);
    }

    /// <exception cref="FormatException">a character outside the alphabet.</exception>
    public byte[] Decode(ReadOnlySpan<char> text)
    {
        var zeros = 0;
        while (zeros < text.Length && text[zeros] < 128 && _decodeMap[text[zeros]] == 0)
        {
            zeros++;
        }
        var bytes = new byte[(int)((text.Length - zeros) * _bytesPerDigit) + 1];
        var length = 0;
        for (var i = zeros; i < text.Length; i++)
        {
            var c = text[i];
            var digit = c < 128 ? _decodeMap[c] : -1;
            if (digit < 0)
            {
                throw new FormatException($"invalid base{Radix} character U+{(int)c:X4}");
            }
            int carry = digit;
            var j = 0;
            for (var k = bytes.Length - 1; (carry != 0 || j < length) && k >= 0; k--, j++)
            {
                carry += Radix * bytes[k];
                bytes[k] = (byte)(carry & 0xff);
                carry >>= 8;
            }
            if (carry != 0)
            {
                throw new FormatException($"base{Radix} value overflows its buffer");
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
}
