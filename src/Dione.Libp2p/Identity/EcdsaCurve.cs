using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;

namespace Dione.Libp2p.Identity;

/// <summary>A NIST curve go-libp2p accepts for ECDSA keys (P-256 is the one it generates), in both libraries' terms.</summary>
internal sealed class EcdsaCurve
{
    public static readonly EcdsaCurve P256 = new("1.2.840.10045.3.1.7", ECCurve.NamedCurves.nistP256, "secp256r1", 32);
    public static readonly EcdsaCurve P384 = new("1.3.132.0.34", ECCurve.NamedCurves.nistP384, "secp384r1", 48);
    public static readonly EcdsaCurve P521 = new("1.3.132.0.35", ECCurve.NamedCurves.nistP521, "secp521r1", 66);

    private EcdsaCurve(string oid, ECCurve curve, string bouncyCastleName, int scalarLength)
    {
        Oid = oid;
        Curve = curve;
        Parameters = CustomNamedCurves.GetByName(bouncyCastleName);
        ScalarLength = scalarLength;
    }

    public string Oid { get; }

    /// <summary>The curve for System.Security.Cryptography.</summary>
    public ECCurve Curve { get; }

    /// <summary>The curve for BouncyCastle, used to check points without creating native keys.</summary>
    public X9ECParameters Parameters { get; }

    /// <summary>Byte length of scalars and of each point coordinate.</summary>
    public int ScalarLength { get; }

    /// <exception cref="FormatException">an unsupported curve.</exception>
    public static EcdsaCurve FromOid(string? oid) => oid switch
    {
        "1.2.840.10045.3.1.7" => P256,
        "1.3.132.0.34" => P384,
        "1.3.132.0.35" => P521,
        _ => throw new FormatException($"unsupported ECDSA curve {oid}"),
    };
}
