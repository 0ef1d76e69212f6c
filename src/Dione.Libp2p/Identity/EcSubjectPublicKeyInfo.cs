using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Dione.Libp2p.Identity;

/// <summary>
/// The DER SubjectPublicKeyInfo of an EC key (RFC 5480): <c>SEQUENCE { SEQUENCE { id-ecPublicKey, namedCurve },
/// BIT STRING { 04 ‖ X ‖ Y } }</c>, read and written in managed code. Points are checked to lie on the curve
/// (the supported curves have cofactor 1, so that is the whole check).
/// </summary>
internal static class EcSubjectPublicKeyInfo
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    /// <exception cref="FormatException">not strict DER, not a named supported curve, not an uncompressed point on it.</exception>
    public static (EcdsaCurve Curve, ECParameters Parameters) Decode(ReadOnlySpan<byte> der)
    {
        try
        {
            var outer = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            var info = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var algorithm = info.ReadSequence();
            if (algorithm.ReadObjectIdentifier() != EcPublicKeyOid)
            {
                throw new FormatException("public key is not an EC key");
            }
            var curve = EcdsaCurve.FromOid(algorithm.ReadObjectIdentifier());
            algorithm.ThrowIfNotEmpty();
            var point = info.ReadBitString(out var unusedBits);
            info.ThrowIfNotEmpty();
            if (unusedBits != 0 || point.Length != 1 + 2 * curve.ScalarLength || point[0] != 0x04)
            {
                throw new FormatException("EC public key must be an uncompressed point");
            }
            CheckOnCurve(curve, point);
            var parameters = new ECParameters
            {
                Curve = curve.Curve,
                Q = new ECPoint
                {
                    X = point.AsSpan(1, curve.ScalarLength).ToArray(),
                    Y = point.AsSpan(1 + curve.ScalarLength).ToArray(),
                },
            };
            return (curve, parameters);
        }
        catch (AsnContentException e)
        {
            throw new FormatException("malformed EC public key", e);
        }
        catch (CryptographicException e)
        {
            throw new FormatException("malformed EC public key", e);
        }
    }

    public static byte[] Encode(EcdsaCurve curve, ECParameters parameters)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(EcPublicKeyOid);
                writer.WriteObjectIdentifier(curve.Oid);
            }
            writer.WriteBitString([0x04, .. Pad(parameters.Q.X, curve.ScalarLength), .. Pad(parameters.Q.Y, curve.ScalarLength)]);
        }
        return writer.Encode();
    }

    private static void CheckOnCurve(EcdsaCurve curve, byte[] point)
    {
        try
        {
            var decoded = curve.Parameters.Curve.DecodePoint(point);
            if (decoded.IsInfinity || !decoded.IsValid())
            {
                throw new FormatException("EC public key is not a valid point");
            }
        }
        catch (ArgumentException e)
        {
            throw new FormatException("EC public key is not a point on the curve", e);
        }
    }

    private static byte[] Pad(byte[]? value, int length)
    {
        var padded = new byte[length];
        value.AsSpan().CopyTo(padded.AsSpan(length - (value?.Length ?? 0)));
        return padded;
    }
}
