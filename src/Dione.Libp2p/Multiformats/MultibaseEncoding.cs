namespace Dione.Libp2p.Multiformats;

/// <summary>The multibase encodings this implementation reads and writes (multiformats/multibase multibase.csv).</summary>
public enum MultibaseEncoding
{
    /// <summary>'f': lower-case hexadecimal.</summary>
    Base16,

    /// <summary>'F': upper-case hexadecimal.</summary>
    Base16Upper,

    /// <summary>'b': RFC 4648 base32, lower case, no padding (the CIDv1 default).</summary>
    Base32,

    /// <summary>'B': RFC 4648 base32, upper case, no padding.</summary>
    Base32Upper,

    /// <summary>'c': RFC 4648 base32, lower case, padded.</summary>
    Base32Pad,

    /// <summary>'C': RFC 4648 base32, upper case, padded.</summary>
    Base32PadUpper,

    /// <summary>'v': RFC 4648 base32hex, lower case, no padding.</summary>
    Base32Hex,

    /// <summary>'V': RFC 4648 base32hex, upper case, no padding.</summary>
    Base32HexUpper,

    /// <summary>'t': RFC 4648 base32hex, lower case, padded.</summary>
    Base32HexPad,

    /// <summary>'T': RFC 4648 base32hex, upper case, padded.</summary>
    Base32HexPadUpper,

    /// <summary>'k': base36, lower case.</summary>
    Base36,

    /// <summary>'K': base36, upper case.</summary>
    Base36Upper,

    /// <summary>'z': base58 with the Bitcoin alphabet.</summary>
    Base58Btc,

    /// <summary>'m': RFC 4648 base64, no padding.</summary>
    Base64,

    /// <summary>'M': RFC 4648 base64, padded.</summary>
    Base64Pad,

    /// <summary>'u': RFC 4648 base64url, no padding.</summary>
    Base64Url,

    /// <summary>'U': RFC 4648 base64url, padded.</summary>
    Base64UrlPad,
}
