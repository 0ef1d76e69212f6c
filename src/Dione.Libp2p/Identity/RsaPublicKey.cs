using System.Security.Cryptography;

namespace Dione.Libp2p.Identity;

/// <summary>
/// An RSA public key of 2048 to 8192 bits. Its libp2p <c>Data</c> is the DER SubjectPublicKeyInfo (PKIX); only the
/// canonical encoding is accepted, so a key re-encodes to the same bytes and the same peer id.
/// Signatures are RSASSA-PKCS1-v1_5 with SHA-256.
/// </summary>
public sealed class RsaPublicKey : PublicKey
{
    private readonly RSAParameters _parameters;
    private readonly byte[] _encoded;

    internal RsaPublicKey(RSAParameters parameters)
    {
        _parameters = new RSAParameters { Modulus = parameters.Modulus, Exponent = parameters.Exponent };
        using var rsa = RSA.Create(_parameters);
        _encoded = rsa.ExportSubjectPublicKeyInfo();
    }

    public override KeyType Type => KeyType.Rsa;

    public override ReadOnlyMemory<byte> Data => _encoded;

    /// <summary>Size of the modulus in bits.</summary>
    public int KeySizeInBits => RsaKeySize.BitLength(_parameters.Modulus);

    /// <summary>Parses a DER SubjectPublicKeyInfo holding an RSA key of 2048..8192 bits.</summary>
    /// <exception cref="FormatException">malformed, not canonical DER, not RSA, or a size outside the range.</exception>
    public static RsaPublicKey FromData(ReadOnlySpan<byte> data)
    {
        RsaPublicKey key;
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(data, out var read);
            if (read != data.Length)
            {
                throw new FormatException("trailing bytes after RSA public key");
            }
            var parameters = rsa.ExportParameters(includePrivateParameters: false);
            RsaKeySize.Check(parameters);
            key = new RsaPublicKey(parameters);
        }
        catch (CryptographicException e)
        {
            throw new FormatException("malformed RSA public key", e);
        }
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
        try
        {
            using var rsa = RSA.Create(_parameters);
            return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
