using System.Security.Cryptography;

namespace Dione.Libp2p.Identity;

/// <summary>The NIST curves go-libp2p accepts for ECDSA keys; P-256 is the one it generates.</summary>
internal static class EcdsaCurves
{
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string P384Oid = "1.3.132.0.34";
    private const string P521Oid = "1.3.132.0.35";

    /// <summary>Scalar (and coordinate) byte length of a supported named curve.</summary>
    /// <exception cref="FormatException">explicit parameters or an unsupported curve.</exception>
    public static int ScalarLength(ECCurve curve)
    {
        if (!curve.IsNamed)
        {
            throw new FormatException("ECDSA key must use a named curve");
        }
        return curve.Oid.Value switch
        {
            P256Oid => 32,
            P384Oid => 48,
            P521Oid => 66,
            var other => throw new FormatException($"unsupported ECDSA curve {other ?? curve.Oid.FriendlyName}"),
        };
    }
}
