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

    private readonly byte[] _encoded;
    private readonly NativeKey<RSA> _native;

    private RsaPrivateKey(RSAParameters parameters, Func<RSA> createNative)
    {
        _encoded = RsaPrivateKeyDer.Encode(parameters);
        PublicKey = new RsaPublicKey(parameters);
        _native = new NativeKey<RSA>(createNative);
    }

    public override KeyType Type => KeyType.Rsa;

    public override PublicKey PublicKey { get; }

    /// <summary>A new key of <paramref name="bits"/> bits.</summary>
    /// <exception cref="ArgumentOutOfRangeException">outside 2048..8192.</exception>
    public static RsaPrivateKey Generate(int bits = 2048)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, MinBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, MaxBits);
        var rsa = RSA.Create(bits);
        return new RsaPrivateKey(rsa.ExportParameters(includePrivateParameters: true), () => rsa);
    }

    /// <summary>Parses a DER PKCS #1 RSAPrivateKey of 2048..8192 bits whose components are consistent.</summary>
    /// <exception cref="FormatException">malformed, trailing bytes, inconsistent, or a size outside the range.</exception>
    public static RsaPrivateKey FromData(ReadOnlySpan<byte> data)
    {
        var parameters = RsaPrivateKeyDer.Decode(data);
        return new RsaPrivateKey(parameters, () => RSA.Create(parameters));
    }

    protected override byte[] ExportData() => (byte[])_encoded.Clone();

    public override byte[] Sign(ReadOnlySpan<byte> data)
    {
        var hash = SHA256.HashData(data);
        return _native.Use(rsa => rsa.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }
}
