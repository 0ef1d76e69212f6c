using System.Security.Cryptography;

namespace Dione.Libp2p.Identity;

/// <summary>
/// An RSA public key of 2048 to 8192 bits. Its libp2p <c>Data</c> is the DER SubjectPublicKeyInfo (PKIX); only the
/// canonical encoding is accepted, so a key re-encodes to the same bytes and the same peer id.
/// Signatures are RSASSA-PKCS1-v1_5 with SHA-256.
/// </summary>
public sealed class RsaPublicKey : PublicKey
{
    private readonly byte[] _encoded;
    private readonly NativeKey<RSA> _native;

    internal RsaPublicKey(RSAParameters parameters)
    {
        var publicOnly = new RSAParameters { Modulus = parameters.Modulus, Exponent = parameters.Exponent };
        _encoded = RsaSubjectPublicKeyInfo.Encode(publicOnly);
        KeySizeInBits = RsaKeySize.BitLength(publicOnly.Modulus);
        _native = new NativeKey<RSA>(() => RSA.Create(publicOnly));
    }

    public override KeyType Type => KeyType.Rsa;

    public override ReadOnlyMemory<byte> Data => _encoded;

    /// <summary>Size of the modulus in bits.</summary>
    public int KeySizeInBits { get; }

    /// <summary>Parses a DER SubjectPublicKeyInfo holding an RSA key of 2048..8192 bits.</summary>
    /// <exception cref="FormatException">malformed, not canonical DER, not RSA, or a size outside the range.</exception>
    public static RsaPublicKey FromData(ReadOnlySpan<byte> data)
    {
        var parameters = RsaSubjectPublicKeyInfo.Decode(data);
        RsaKeySize.Check(parameters);
        var key = new RsaPublicKey(parameters);
        if (!key._encoded.AsSpan().SequenceEqual(data))
        {
            throw new FormatException("RSA public key is not in canonical DER form");
        }
        return key;
    }

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != (KeySizeInBits + 7) / 8)
        {
            return false;
        }
        var hash = SHA256.HashData(data);
        var signatureCopy = signature.ToArray();
        try
        {
            return _native.Use(rsa => rsa.VerifyHash(hash, signatureCopy, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
