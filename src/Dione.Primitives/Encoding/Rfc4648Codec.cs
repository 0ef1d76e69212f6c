namespace Dione.Primitives.Encoding;

/// <summary>
/// The RFC 4648 bit-packing encodings (base16, base32, base32hex, base64, base64url), with or without '=' padding.
/// Decoding is strict: impossible lengths, misplaced padding and non-zero unused trailing bits are refused, so a
/// case-sensitive codec gives every byte string exactly one text form.
/// </summary>
public sealed class Rfc4648Codec
{
    /// <summary>The RFC 4648 base32 alphabet in lowercase, as multibase 'b' writes it.</summary>
    public const string Base32Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    private readonly string _alphabet;
    private readonly sbyte[] _decodeMap;
    private readonly int _bitsPerChar;
    private readonly bool _padded;

    /// <summary>What error messages call the encoding: "base32", or "lowercase base32" for a case-sensitive lowercase alphabet.</summary>
    private readonly string _name;

    public Rfc4648Codec(string alphabet, bool padded, bool caseInsensitive)
    {
        _alphabet = alphabet;
        _bitsPerChar = System.Numerics.BitOperations.Log2((uint)alphabet.Length);
        _padded = padded;
        var lowercaseOnly = !caseInsensitive && alphabet.Any(char.IsAsciiLetter) && !alphabet.Any(char.IsAsciiLetterUpper);
        _name = (lowercaseOnly ? "lowercase " : "") + $"base{1 << _bitsPerChar}";
        _decodeMap = AlphabetDecodeMap.Build(alphabet, caseInsensitive);
    }

    /// <summary>Base32, lowercase only, no padding: multibase 'b' as Dione addresses use it (one text per byte string).</summary>
    public static Rfc4648Codec Base32Lower { get; } = new(Base32Alphabet, padded: false, caseInsensitive: false);

    /// <summary>Characters per padded block: 8 for base32, 4 for base64, 2 for base16.</summary>
    private int BlockChars => _bitsPerChar switch { 5 => 8, 6 => 4, _ => 2 };

    private int CharsFor(int byteCount) => (byteCount * 8 + _bitsPerChar - 1) / _bitsPerChar;

    public string Encode(ReadOnlySpan<byte> data)
    {
        var unpadded = CharsFor(data.Length);
        var total = _padded ? (unpadded + BlockChars - 1) / BlockChars * BlockChars : unpadded;
        var chars = new char[total];
        var mask = (1 << _bitsPerChar) - 1;
        int buffer = 0, bits = 0, o = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= _bitsPerChar)
            {
                bits -= _bitsPerChar;
                chars[o++] = _alphabet[(buffer >> bits) & mask];
            }
            buffer &= (1 << bits) - 1;
        }
        if (bits > 0)
        {
            chars[o++] = _alphabet[(buffer << (_bitsPerChar - bits)) & mask];
        }
        chars.AsSpan(o).Fill('=');
        return new string(chars);
    }

    /// <exception cref="FormatException">invalid character, length, padding or trailing bits.</exception>
    public byte[] Decode(ReadOnlySpan<char> text)
    {
        if (_padded)
        {
            text = StripPadding(text);
        }
        var byteCount = (int)((long)text.Length * _bitsPerChar / 8);
        if (CharsFor(byteCount) != text.Length)
        {
            throw new FormatException($"impossible length {text.Length} for base{1 << _bitsPerChar}");
        }
        var result = new byte[byteCount];
        int buffer = 0, bits = 0, o = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var digit = c < 128 ? _decodeMap[c] : -1;
            if (digit < 0)
            {
                throw new FormatException($"character {i} (U+{(int)c:X4}) is not {_name}");
            }
            buffer = (buffer << _bitsPerChar) | digit;
            bits += _bitsPerChar;
            if (bits >= 8)
            {
                bits -= 8;
                result[o++] = (byte)(buffer >> bits);
                buffer &= (1 << bits) - 1;
            }
        }
        if (buffer != 0)
        {
            throw new FormatException($"non-zero trailing bits in base{1 << _bitsPerChar} text");
        }
        return result;
    }

    private ReadOnlySpan<char> StripPadding(ReadOnlySpan<char> text)
    {
        if (text.Length % BlockChars != 0)
        {
            throw new FormatException($"padded base{1 << _bitsPerChar} text must come in blocks of {BlockChars}");
        }
        var end = text.Length;
        while (end > 0 && text[end - 1] == '=')
        {
            end--;
        }
        var stripped = text[..end];
        if (text.Length - end >= BlockChars)
        {
            throw new FormatException($"invalid padding in base{1 << _bitsPerChar} text");
        }
        return stripped;
    }
}
