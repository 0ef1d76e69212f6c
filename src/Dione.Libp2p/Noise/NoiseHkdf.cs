using System.Security.Cryptography;

namespace Dione.Libp2p.Noise;

/// <summary>
/// HKDF as the Noise framework defines it (rev 34, section 4.3) over HMAC-SHA256: extract with the chaining key as
/// the HMAC key, then two or three chained expansions. Equal to RFC 5869 with an empty info string.
/// </summary>
internal static class NoiseHkdf
{
    /// <summary>Derives two outputs of 32 bytes each.</summary>
    public static void Derive(ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> inputKeyMaterial, Span<byte> output1, Span<byte> output2) =>
        Derive(chainingKey, inputKeyMaterial, output1, output2, Span<byte>.Empty);

    /// <summary>Derives two or three outputs of 32 bytes each; the third only when <paramref name="output3"/> is not empty.</summary>
    public static void Derive(
        ReadOnlySpan<byte> chainingKey,
        ReadOnlySpan<byte> inputKeyMaterial,
        Span<byte> output1,
        Span<byte> output2,
        Span<byte> output3)
    {
        const int hashLength = NoiseLimits.HashLength;
        if (output1.Length != hashLength || output2.Length != hashLength || (!output3.IsEmpty && output3.Length != hashLength))
        {
            throw new ArgumentException("HKDF outputs are 32 bytes each");
        }
        Span<byte> tempKey = stackalloc byte[hashLength];
        Span<byte> block = stackalloc byte[hashLength + 1];
        try
        {
            HMACSHA256.HashData(chainingKey, inputKeyMaterial, tempKey);
            block[0] = 0x01;
            HMACSHA256.HashData(tempKey, block[..1], output1);
            output1.CopyTo(block);
            block[hashLength] = 0x02;
            HMACSHA256.HashData(tempKey, block, output2);
            if (!output3.IsEmpty)
            {
                output2.CopyTo(block);
                block[hashLength] = 0x03;
                HMACSHA256.HashData(tempKey, block, output3);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(tempKey);
            CryptographicOperations.ZeroMemory(block);
        }
    }
}
