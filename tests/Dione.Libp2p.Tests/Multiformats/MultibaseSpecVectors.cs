using Dione.Libp2p.Multiformats;

namespace Dione.Libp2p.Tests.Multiformats;

/// <summary>The test vectors of multiformats/multibase tests/*.csv.</summary>
internal static class MultibaseSpecVectors
{
    /// <summary>Input text (Latin-1, with \0 bytes), encoding, canonical multibase text: basic, leading_zero, two_leading_zeros.</summary>
    public static TheoryData<string, MultibaseEncoding, string> Canonical => new()
    {
        { "yes mani !", MultibaseEncoding.Base16, "f796573206d616e692021" },
        { "yes mani !", MultibaseEncoding.Base16Upper, "F796573206D616E692021" },
        { "yes mani !", MultibaseEncoding.Base32, "bpfsxgidnmfxgsibb" },
        { "yes mani !", MultibaseEncoding.Base32Upper, "BPFSXGIDNMFXGSIBB" },
        { "yes mani !", MultibaseEncoding.Base32Hex, "vf5in683dc5n6i811" },
        { "yes mani !", MultibaseEncoding.Base32HexUpper, "VF5IN683DC5N6I811" },
        { "yes mani !", MultibaseEncoding.Base32Pad, "cpfsxgidnmfxgsibb" },
        { "yes mani !", MultibaseEncoding.Base32PadUpper, "CPFSXGIDNMFXGSIBB" },
        { "yes mani !", MultibaseEncoding.Base32HexPad, "tf5in683dc5n6i811" },
        { "yes mani !", MultibaseEncoding.Base32HexPadUpper, "TF5IN683DC5N6I811" },
        { "yes mani !", MultibaseEncoding.Base36, "k2lcpzo5yikidynfl" },
        { "yes mani !", MultibaseEncoding.Base36Upper, "K2LCPZO5YIKIDYNFL" },
        { "yes mani !", MultibaseEncoding.Base58Btc, "z7paNL19xttacUY" },
        { "yes mani !", MultibaseEncoding.Base64, "meWVzIG1hbmkgIQ" },
        { "yes mani !", MultibaseEncoding.Base64Pad, "MeWVzIG1hbmkgIQ==" },
        { "yes mani !", MultibaseEncoding.Base64Url, "ueWVzIG1hbmkgIQ" },
        { "yes mani !", MultibaseEncoding.Base64UrlPad, "UeWVzIG1hbmkgIQ==" },
        { "\0yes mani !", MultibaseEncoding.Base16, "f00796573206d616e692021" },
        { "\0yes mani !", MultibaseEncoding.Base16Upper, "F00796573206D616E692021" },
        { "\0yes mani !", MultibaseEncoding.Base32, "bab4wk4zanvqw42jaee" },
        { "\0yes mani !", MultibaseEncoding.Base32Upper, "BAB4WK4ZANVQW42JAEE" },
        { "\0yes mani !", MultibaseEncoding.Base32Hex, "v01smasp0dlgmsq9044" },
        { "\0yes mani !", MultibaseEncoding.Base32HexUpper, "V01SMASP0DLGMSQ9044" },
        { "\0yes mani !", MultibaseEncoding.Base32Pad, "cab4wk4zanvqw42jaee======" },
        { "\0yes mani !", MultibaseEncoding.Base32PadUpper, "CAB4WK4ZANVQW42JAEE======" },
        { "\0yes mani !", MultibaseEncoding.Base32HexPad, "t01smasp0dlgmsq9044======" },
        { "\0yes mani !", MultibaseEncoding.Base32HexPadUpper, "T01SMASP0DLGMSQ9044======" },
        { "\0yes mani !", MultibaseEncoding.Base36, "k02lcpzo5yikidynfl" },
        { "\0yes mani !", MultibaseEncoding.Base36Upper, "K02LCPZO5YIKIDYNFL" },
        { "\0yes mani !", MultibaseEncoding.Base58Btc, "z17paNL19xttacUY" },
        { "\0yes mani !", MultibaseEncoding.Base64, "mAHllcyBtYW5pICE" },
        { "\0yes mani !", MultibaseEncoding.Base64Pad, "MAHllcyBtYW5pICE=" },
        { "\0yes mani !", MultibaseEncoding.Base64Url, "uAHllcyBtYW5pICE" },
        { "\0yes mani !", MultibaseEncoding.Base64UrlPad, "UAHllcyBtYW5pICE=" },
        { "\0\0yes mani !", MultibaseEncoding.Base16, "f0000796573206d616e692021" },
        { "\0\0yes mani !", MultibaseEncoding.Base16Upper, "F0000796573206D616E692021" },
        { "\0\0yes mani !", MultibaseEncoding.Base32, "baaahszltebwwc3tjeaqq" },
        { "\0\0yes mani !", MultibaseEncoding.Base32Upper, "BAAAHSZLTEBWWC3TJEAQQ" },
        { "\0\0yes mani !", MultibaseEncoding.Base32Hex, "v0007ipbj41mm2rj940gg" },
        { "\0\0yes mani !", MultibaseEncoding.Base32HexUpper, "V0007IPBJ41MM2RJ940GG" },
        { "\0\0yes mani !", MultibaseEncoding.Base32Pad, "caaahszltebwwc3tjeaqq====" },
        { "\0\0yes mani !", MultibaseEncoding.Base32PadUpper, "CAAAHSZLTEBWWC3TJEAQQ====" },
        { "\0\0yes mani !", MultibaseEncoding.Base32HexPad, "t0007ipbj41mm2rj940gg====" },
        { "\0\0yes mani !", MultibaseEncoding.Base32HexPadUpper, "T0007IPBJ41MM2RJ940GG====" },
        { "\0\0yes mani !", MultibaseEncoding.Base36, "k002lcpzo5yikidynfl" },
        { "\0\0yes mani !", MultibaseEncoding.Base36Upper, "K002LCPZO5YIKIDYNFL" },
        { "\0\0yes mani !", MultibaseEncoding.Base58Btc, "z117paNL19xttacUY" },
        { "\0\0yes mani !", MultibaseEncoding.Base64, "mAAB5ZXMgbWFuaSAh" },
        { "\0\0yes mani !", MultibaseEncoding.Base64Pad, "MAAB5ZXMgbWFuaSAh" },
        { "\0\0yes mani !", MultibaseEncoding.Base64Url, "uAAB5ZXMgbWFuaSAh" },
        { "\0\0yes mani !", MultibaseEncoding.Base64UrlPad, "UAAB5ZXMgbWFuaSAh" },
    };

    /// <summary>"hello world" in non-canonical letter case, which must still decode (case_insensitivity.csv).</summary>
    public static TheoryData<MultibaseEncoding, string> CaseInsensitive => new()
    {
        { MultibaseEncoding.Base16, "f68656c6c6f20776F726C64" },
        { MultibaseEncoding.Base16Upper, "F68656c6c6f20776F726C64" },
        { MultibaseEncoding.Base32, "bnbswy3dpeB3W64TMMQ" },
        { MultibaseEncoding.Base32Upper, "Bnbswy3dpeB3W64TMMQ" },
        { MultibaseEncoding.Base32Hex, "vd1imor3f41RMUSJCCG" },
        { MultibaseEncoding.Base32HexUpper, "Vd1imor3f41RMUSJCCG" },
        { MultibaseEncoding.Base32Pad, "cnbswy3dpeB3W64TMMQ======" },
        { MultibaseEncoding.Base32PadUpper, "Cnbswy3dpeB3W64TMMQ======" },
        { MultibaseEncoding.Base32HexPad, "td1imor3f41RMUSJCCG======" },
        { MultibaseEncoding.Base32HexPadUpper, "Td1imor3f41RMUSJCCG======" },
        { MultibaseEncoding.Base36, "kfUvrsIvVnfRbjWaJo" },
        { MultibaseEncoding.Base36Upper, "KfUVrSIVVnFRbJWAJo" },
    };

    /// <summary>Vectors of encodings this implementation does not support (base2, base8, base10, base32z, base58flickr, base256emoji).</summary>
    public static TheoryData<string> Unsupported => new()
    {
        "001111001011001010111001100100000011011010110000101101110011010010010000000100001",
        "7362625631006654133464440102",
        "9573277761329450583662625",
        "hxf1zgedpcfzg1ebb",
        "Z7Pznk19XTTzBtx",
        "🚀🏃✋🌈😅🌷🤤😻🌟😅👏",
        "00000000001111001011001010111001100100000011011010110000101101110011010010010000000100001",
        "7000745453462015530267151100204",
        "90573277761329450583662625",
        "hybhskh3ypiosh4jyrr",
        "Z17Pznk19XTTzBtx",
        "🚀🚀🏃✋🌈😅🌷🤤😻🌟😅👏",
        "0000000000000000001111001011001010111001100100000011011010110000101101110011010010010000000100001",
        "700000171312714403326055632220041",
        "900573277761329450583662625",
        "hyyy813murbssn5ujryoo",
        "Z117Pznk19XTTzBtx",
        "🚀🚀🚀🏃✋🌈😅🌷🤤😻🌟😅👏",
    };
}
