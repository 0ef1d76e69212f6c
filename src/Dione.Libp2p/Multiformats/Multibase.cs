using Dione.Primitives.Encoding;

namespace Dione.Libp2p.Multiformats;

/// <summary>
/// Multibase (multiformats/multibase): text that names its own encoding with a one-character prefix.
/// base16, base32 and base36 decode case-insensitively, as the spec's case_insensitivity vectors require.
/// </summary>
public static class Multibase
{
    /// <summary>Longest text <see cref="Decode(string)"/> accepts (base58 and base36 have their own, smaller caps).</summary>
    public const int MaxTextLength = 64 * 1024;

    private const string Base16Alphabet = "0123456789abcdef";
    private const string Base32HexAlphabet = "0123456789abcdefghijklmnopqrstuv";
    private const string Base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private const string Base64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static readonly Rfc4648Codec Base16Codec = new(Base16Alphabet, padded: false, caseInsensitive: true);
    private static readonly Rfc4648Codec Base32Codec = new(Rfc4648Codec.Base32Alphabet, padded: false, caseInsensitive: true);
    private static readonly Rfc4648Codec Base32PadCodec = new(Rfc4648Codec.Base32Alphabet, padded: true, caseInsensitive: true);
    private static readonly Rfc4648Codec Base32HexCodec = new(Base32HexAlphabet, padded: false, caseInsensitive: true);
    private static readonly Rfc4648Codec Base32HexPadCodec = new(Base32HexAlphabet, padded: true, caseInsensitive: true);
    private static readonly Rfc4648Codec Base64Codec = new(Base64Alphabet, padded: false, caseInsensitive: false);
    private static readonly Rfc4648Codec Base64PadCodec = new(Base64Alphabet, padded: true, caseInsensitive: false);
    private static readonly Rfc4648Codec Base64UrlCodec = new(Base64UrlAlphabet, padded: false, caseInsensitive: false);
    private static readonly Rfc4648Codec Base64UrlPadCodec = new(Base64UrlAlphabet, padded: true, caseInsensitive: false);

    /// <summary>The prefix character of <paramref name="encoding"/>.</summary>
    public static char GetPrefix(MultibaseEncoding encoding) => encoding switch
    {
        MultibaseEncoding.Base16 => 'f',
        MultibaseEncoding.Base16Upper => 'F',
        MultibaseEncoding.Base32 => 'b',
        MultibaseEncoding.Base32Upper => 'B',
        MultibaseEncoding.Base32Pad => 'c',
        MultibaseEncoding.Base32PadUpper => 'C',
        MultibaseEncoding.Base32Hex => 'v',
        MultibaseEncoding.Base32HexUpper => 'V',
        MultibaseEncoding.Base32HexPad => 't',
        MultibaseEncoding.Base32HexPadUpper => 'T',
        MultibaseEncoding.Base36 => 'k',
        MultibaseEncoding.Base36Upper => 'K',
        MultibaseEncoding.Base58Btc => 'z',
        MultibaseEncoding.Base64 => 'm',
        MultibaseEncoding.Base64Pad => 'M',
        MultibaseEncoding.Base64Url => 'u',
        MultibaseEncoding.Base64UrlPad => 'U',
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "unknown multibase encoding"),
    };

    /// <summary>The encoding whose prefix is <paramref name="prefix"/>, if this implementation supports it.</summary>
    public static bool TryGetEncoding(char prefix, out MultibaseEncoding encoding)
    {
        MultibaseEncoding? found = prefix switch
        {
            'f' => MultibaseEncoding.Base16,
            'F' => MultibaseEncoding.Base16Upper,
            'b' => MultibaseEncoding.Base32,
            'B' => MultibaseEncoding.Base32Upper,
            'c' => MultibaseEncoding.Base32Pad,
            'C' => MultibaseEncoding.Base32PadUpper,
            'v' => MultibaseEncoding.Base32Hex,
            'V' => MultibaseEncoding.Base32HexUpper,
            't' => MultibaseEncoding.Base32HexPad,
            'T' => MultibaseEncoding.Base32HexPadUpper,
            'k' => MultibaseEncoding.Base36,
            'K' => MultibaseEncoding.Base36Upper,
            'z' => MultibaseEncoding.Base58Btc,
            'm' => MultibaseEncoding.Base64,
            'M' => MultibaseEncoding.Base64Pad,
            'u' => MultibaseEncoding.Base64Url,
            'U' => MultibaseEncoding.Base64UrlPad,
            _ => null,
        };
        encoding = found.GetValueOrDefault();
        return found.HasValue;
    }

    /// <summary>The prefix followed by <paramref name="data"/> in <paramref name="encoding"/>.</summary>
    public static string Encode(MultibaseEncoding encoding, ReadOnlySpan<byte> data)
    {
        var body = encoding switch
        {
            MultibaseEncoding.Base16 => Base16Codec.Encode(data),
            MultibaseEncoding.Base16Upper => Base16Codec.Encode(data).ToUpperInvariant(),
            MultibaseEncoding.Base32 => Base32Codec.Encode(data),
            MultibaseEncoding.Base32Upper => Base32Codec.Encode(data).ToUpperInvariant(),
            MultibaseEncoding.Base32Pad => Base32PadCodec.Encode(data),
            MultibaseEncoding.Base32PadUpper => Base32PadCodec.Encode(data).ToUpperInvariant(),
            MultibaseEncoding.Base32Hex => Base32HexCodec.Encode(data),
            MultibaseEncoding.Base32HexUpper => Base32HexCodec.Encode(data).ToUpperInvariant(),
            MultibaseEncoding.Base32HexPad => Base32HexPadCodec.Encode(data),
            MultibaseEncoding.Base32HexPadUpper => Base32HexPadCodec.Encode(data).ToUpperInvariant(),
            MultibaseEncoding.Base36 => Multiformats.Base36.Encode(data),
            MultibaseEncoding.Base36Upper => Multiformats.Base36.Encode(data).ToUpperInvariant(),
            MultibaseEncoding.Base58Btc => Base58.Encode(data),
            MultibaseEncoding.Base64 => Base64Codec.Encode(data),
            MultibaseEncoding.Base64Pad => Base64PadCodec.Encode(data),
            MultibaseEncoding.Base64Url => Base64UrlCodec.Encode(data),
            MultibaseEncoding.Base64UrlPad => Base64UrlPadCodec.Encode(data),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "unknown multibase encoding"),
        };
        return GetPrefix(encoding) + body;
    }

    /// <summary>Decodes multibase text of any supported encoding.</summary>
    /// <exception cref="FormatException">empty, too long, an unknown or unsupported prefix, or a malformed body.</exception>
    public static byte[] Decode(string text) => Decode(text, out _);

    /// <summary>Decodes multibase text and reports which encoding it used.</summary>
    /// <exception cref="FormatException">empty, too long, an unknown or unsupported prefix, or a malformed body.</exception>
    public static byte[] Decode(string text, out MultibaseEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            throw new FormatException("empty multibase text");
        }
        if (text.Length > MaxTextLength)
        {
            throw new FormatException("multibase text too long");
        }
        if (!TryGetEncoding(text[0], out encoding))
        {
            throw new FormatException($"unknown or unsupported multibase prefix U+{(int)text[0]:X4}");
        }
        var body = text.AsSpan(1);
        return encoding switch
        {
            MultibaseEncoding.Base16 or MultibaseEncoding.Base16Upper => Base16Codec.Decode(body),
            MultibaseEncoding.Base32 or MultibaseEncoding.Base32Upper => Base32Codec.Decode(body),
            MultibaseEncoding.Base32Pad or MultibaseEncoding.Base32PadUpper => Base32PadCodec.Decode(body),
            MultibaseEncoding.Base32Hex or MultibaseEncoding.Base32HexUpper => Base32HexCodec.Decode(body),
            MultibaseEncoding.Base32HexPad or MultibaseEncoding.Base32HexPadUpper => Base32HexPadCodec.Decode(body),
            MultibaseEncoding.Base36 or MultibaseEncoding.Base36Upper => Multiformats.Base36.Decode(body),
            MultibaseEncoding.Base58Btc => Base58.Decode(body),
            MultibaseEncoding.Base64 => Base64Codec.Decode(body),
            MultibaseEncoding.Base64Pad => Base64PadCodec.Decode(body),
            MultibaseEncoding.Base64Url => Base64UrlCodec.Decode(body),
            _ => Base64UrlPadCodec.Decode(body),
        };
    }

    /// <summary>Like <see cref="Decode(string)"/>, returning false instead of throwing <see cref="FormatException"/>.</summary>
    public static bool TryDecode(string? text, out byte[]? data)
    {
        try
        {
            data = text is null ? null : Decode(text);
            return data is not null;
        }
        catch (FormatException)
        {
            data = null;
            return false;
        }
    }
}
