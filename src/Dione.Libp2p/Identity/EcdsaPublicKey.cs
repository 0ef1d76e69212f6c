using System.Security.Cryptography;

namespace Dione.Libp2p.Identity;

/// <summary>
/// An ECDSA public key on NIST P-256 (also P-384/P-521, which go-libp2p accepts). Its libp2p <c>Data</c> is the
/// DER SubjectPublicKeyInfo (PKIX) with a named curve and an uncompressed point; only that canonical form is accepted,
/// so a key re-encodes to the same bytes and the same peer id. Signatures are DER-encoded ECDSA over SHA-256;
/// high-S signatures verify (go-libp2p does not normalise them).
/// </summary>
public sealed class EcdsaPublicKey : PublicKey
{
    private readonly EcdsaCurve _curve;
    private readonly byte[] _encoded;
    private readonly NativeKey<ECDsa> _native;

    internal EcdsaPublicKey(EcdsaCurve curve, ECParameters parameters)
    {
        _curve = curve;
        var publicOnly = new ECParameters { Curve = curve.Curve, Q = parameters.Q };
        _encoded = EcSubjectPublicKeyInfo.Encode(curve, publicOnly);
        _native = new NativeKey<ECDsa>(() => ECDsa.Create(publicOnly));
    }

    public override KeyType Type => KeyType.Ecdsa;

    public override ReadOnlyMemory<byte> Data => _encoded;

    /// <summary>Parses a DER SubjectPublicKeyInfo holding an uncompressed point on a supported named curve.</summary>
    /// <exception cref="FormatException">malformed, not canonical DER, not EC, an unsupported curve, or off the curve.</exception>
    public static EcdsaPublicKey FromData(ReadOnlySpan<byte> data)
    {
        var (curve, parameters) = EcSubjectPublicKeyInfo.Decode(data);
        var key = new EcdsaPublicKey(curve, parameters);
        if (!key._encoded.AsSpan().SequenceEqual(data))
        {
            throw new FormatException("ECDSA public key is not in canonical DER form");
        }
        return key;
    }

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (!EcdsaDerSignature.TryParse(signature, _curve.ScalarLength, out var r, out var s))
        {
            return false;
        }
        var fixedForm = new byte[2 * _curve.ScalarLength];
        r.CopyTo(fixedForm, _curve.ScalarLength - r.Length);
        s.CopyTo(fixedForm, 2 * _curve.ScalarLength - s.Length);
        var hash = SHA256.HashData(data);
        try
        {
            return _native.Use(ecdsa => ecdsa.VerifyHash(hash, fixedForm, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
