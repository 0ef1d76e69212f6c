using System.Numerics;
using System.Security.Cryptography;

namespace Dione.Libp2p.Identity;

/// <summary>
/// An RSA private key of 2048 to 8192 bits. Its libp2p <c>Data</c> is the DER PKCS #1 RSAPrivateKey.
/// Signatures are RSASSA-PKCS1-v1_5 with SHA-256 (deterministic).
/// </summary>
public sealed class RsaPrivateKey : PrivateKey
{
    /// <summary>Smallest modulus accepted or generated, as go-libp2p.</summary>
    public const int MinBits = RsaKeySize.MinBits;

    /// <summary>Largest modulus accepted or generated, as go-libp2p.</summary>
    public const int MaxBits = RsaKeySize.MaxBits;

    private readonly RSAParameters _parameters;

    private RsaPrivateKey(RSAParameters parameters)
    {
        _parameters = parameters;
        PublicKey = new RsaPublicKey(parameters);
    }

    public override KeyType Type => KeyType.Rsa;

    public override PublicKey PublicKey { get; }

    /// <summary>A new key of <paramref name="bits"/> bits.</summary>
    /// <exception cref="ArgumentOutOfRangeException">outside 2048..8192.</exception>
    public static RsaPrivateKey Generate(int bits = 2048)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, MinBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, MaxBits);
        using var rsa = RSA.Create(bits);
        return new RsaPrivateKey(rsa.ExportParameters(includePrivateParameters: true));
    }

    /// <summary>Parses a DER PKCS #1 RSAPrivateKey of 2048..8192 bits whose components are consistent.</summary>
    /// <exception cref="FormatException">malformed, trailing bytes, inconsistent, or a size outside the range.</exception>
    public static RsaPrivateKey FromData(ReadOnlySpan<byte> data)
    {
        RSAParameters parameters;
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportRSAPrivateKey(data, out var read);
            if (read != data.Length)
            {
                throw new FormatException("trailing bytes after RSA private key");
            }
            parameters = rsa.ExportParameters(includePrivateParameters: true);
        }
        catch (CryptographicException e)
        {
            throw new FormatException("malformed RSA private key", e);
        }
        RsaKeySize.Check(parameters);
        CheckConsistency(parameters);
        try
        {
            return new RsaPrivateKey(parameters);
        }
        catch (CryptographicException e)
        {
            throw new FormatException("unusable RSA private key", e);
        }
    }

    protected override byte[] ExportData()
    {
        using var rsa = RSA.Create(_parameters);
        return rsa.ExportRSAPrivateKey();
    }

    public override byte[] Sign(ReadOnlySpan<byte> data)
    {
        using var rsa = RSA.Create(_parameters);
        return rsa.SignData(data.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>n = p·q and e·d ≡ 1 modulo p-1 and q-1 (what go's rsa.PrivateKey.Validate checks).</summary>
    private static void CheckConsistency(RSAParameters parameters)
    {
        static BigInteger Read(byte[]? bytes) => new(bytes, isUnsigned: true, isBigEndian: true);
        var n = Read(parameters.Modulus);
        var e = Read(parameters.Exponent);
        var d = Read(parameters.D);
        var p = Read(parameters.P);
        var q = Read(parameters.Q);
        if (p <= 1 || q <= 1 || p * q != n || (e * d) % (p - 1) != 1 || (e * d) % (q - 1) != 1)
        {
            throw new FormatException("inconsistent RSA private key");
        }
    }
}
