using System.Security.Cryptography;

namespace Dione.Libp2p.Identity;

/// <summary>
/// An ECDSA private key (P-256 when generated). Its libp2p <c>Data</c> is the SEC 1 / RFC 5915 DER
/// <c>ECPrivateKey</c>, as go-libp2p writes it with x509.MarshalECPrivateKey (the peer-ids spec text says
/// "PKIX", but its test vector and every implementation use SEC 1). Signatures are randomised DER ECDSA over SHA-256.
/// </summary>
public sealed class EcdsaPrivateKey : PrivateKey
{
    private readonly ECParameters _parameters;

    private EcdsaPrivateKey(ECParameters parameters)
    {
        EcdsaCurves.ScalarLength(parameters.Curve);
        _parameters = parameters;
        PublicKey = new EcdsaPublicKey(parameters);
    }

    public override KeyType Type => KeyType.Ecdsa;

    public override PublicKey PublicKey { get; }

    /// <summary>A new key on NIST P-256.</summary>
    public static EcdsaPrivateKey Generate()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new EcdsaPrivateKey(ecdsa.ExportParameters(includePrivateParameters: true));
    }

    /// <summary>Parses a DER SEC 1 ECPrivateKey on a supported named curve.</summary>
    /// <exception cref="FormatException">malformed, trailing bytes, or an unsupported curve.</exception>
    public static EcdsaPrivateKey FromData(ReadOnlySpan<byte> data)
    {
        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportECPrivateKey(data, out var read);
            if (read != data.Length)
            {
                throw new FormatException("trailing bytes after ECDSA private key");
            }
            return new EcdsaPrivateKey(ecdsa.ExportParameters(includePrivateParameters: true));
        }
        catch (CryptographicException e)
        {
            throw new FormatException("malformed ECDSA private key", e);
        }
    }

    protected override byte[] ExportData()
    {
        using var ecdsa = ECDsa.Create(_parameters);
        return ecdsa.ExportECPrivateKey();
    }

    public override byte[] Sign(ReadOnlySpan<byte> data)
    {
        using var ecdsa = ECDsa.Create(_parameters);
        return ecdsa.SignHash(SHA256.HashData(data), DSASignatureFormat.Rfc3279DerSequence);
    }
}
