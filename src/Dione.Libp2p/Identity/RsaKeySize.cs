using System.Security.Cryptography;

namespace Dione.Libp2p.Identity;

/// <summary>The RSA modulus sizes libp2p accepts, as go-libp2p enforces them on generation and import.</summary>
internal static class RsaKeySize
{
    public const int MinBits = 2048;
    public const int MaxBits = 8192;

    /// <summary>Bit length of the big-endian unsigned <paramref name="modulus"/>.</summary>
    public static int BitLength(ReadOnlySpan<byte> modulus)
    {
        var start = 0;
        while (start < modulus.Length && modulus[start] == 0)
        {
            start++;
        }
        return start == modulus.Length ? 0 : (modulus.Length - start - 1) * 8 + (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)modulus[start]));
    }

    /// <exception cref="FormatException">modulus outside 2048..8192 bits, or an unusable public exponent.</exception>
    public static void Check(RSAParameters parameters)
    {
        var bits = BitLength(parameters.Modulus);
        if (bits is < MinBits or > MaxBits)
        {
            throw new FormatException($"RSA key has {bits} bits; libp2p accepts {MinBits} to {MaxBits}");
        }
        var exponent = new System.Numerics.BigInteger(parameters.Exponent, isUnsigned: true, isBigEndian: true);
        if (exponent < 3 || exponent > int.MaxValue)
        {
            throw new FormatException("RSA public exponent out of range");
        }
    }
}
