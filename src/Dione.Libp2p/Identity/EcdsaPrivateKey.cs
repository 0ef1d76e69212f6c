using System.Security.Cryptography;

namespace Dione.Libp2p.Identity;

/// <summary>
/// An ECDSA private key (P-256 when generated). Its libp2p <c>Data</c> is the SEC 1 / RFC 5915 DER
/// <c>ECPrivateKey</c>, as go-libp2p writes it with x509.MarshalECPrivateKey (the peer-ids spec text says
/// "PKIX", but its test vector and every implementation use SEC 1). Signatures are randomised DER ECDSA over SHA-256.
/// </summary>
public sealed class EcdsaPrivateKey : PrivateKey
{
    private readonly NativeKey<ECDsa> _native;

    private EcdsaPrivateKey(ECDsa ecdsa)
    {
        var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        var curve = EcdsaCurve.FromOid(parameters.Curve.IsNamed ? parameters.Curve.Oid.Value : null);
        PublicKey = new EcdsaPublicKey(curve, parameters);
        _native = new NativeKey<ECDsa>(() => ecdsa);
    }

    public override KeyType Type => KeyType.Ecdsa;

    public override PublicKey PublicKey { get; }

    /// <summary>A new key on NIST P-256.</summary>
    public static EcdsaPrivateKey Generate()
    {
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ecdsa.ExportParameters(includePrivateParameters: false); // forces generation now
        return new EcdsaPrivateKey(ecdsa);
    }

    /// <summary>Parses a DER SEC 1 ECPrivateKey on a supported named curve.</summary>
    /// <exception cref="FormatException">malformed, trailing bytes, or an unsupported curve.</exception>
    public static EcdsaPrivateKey FromData(ReadOnlySpan<byte> data)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportECPrivateKey(data, out var read);
            if (read != data.Length)
            {
                throw new FormatException("trailing bytes after ECDSA private key");
            }
            return new EcdsaPrivateKey(ecdsa);
        }
        catch (CryptographicException e)
        {
            ecdsa.Dispose();
            throw new FormatException("malformed ECDSA private key", e);
        }
        catch (FormatException)
        {
            ecdsa.Dispose();
            throw;
        }
    }

    protected override byte[] ExportData() => _native.Use(ecdsa => ecdsa.ExportECPrivateKey());

    public override byte[] Sign(ReadOnlySpan<byte> data)
    {
        var hash = SHA256.HashData(data);
        return _native.Use(ecdsa => ecdsa.SignHash(hash, DSASignatureFormat.Rfc3279DerSequence));
    }
}
