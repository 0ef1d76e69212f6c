using System.Security.Cryptography;

namespace Dione.Libp2p.Identity;

/// <summary>
/// An ECDSA public key on NIST P-256 (also P-384/P-521, which go-libp2p accepts). Its libp2p <c>Data</c> is the
/// DER SubjectPublicKeyInfo (PKIX) with a named curve and an uncompressed point; only that canonical form is accepted,
/// so a key re-encodes to the same bytes and the same peer id. Signatures are DER-encoded ECDSA over SHA-256.
/// </summary>
public sealed class EcdsaPublicKey : PublicKey
{
    private readonly ECParameters _parameters;
    private readonly byte[] _encoded;
    private readonly int _scalarLength;

    internal EcdsaPublicKey(ECParameters parameters)
    {
        _scalarLength = EcdsaCurves.ScalarLength(parameters.Curve);
        _parameters = new ECParameters { Curve = parameters.Curve, Q = parameters.Q };
        using var ecdsa = ECDsa.Create(_parameters);
        _encoded = ecdsa.ExportSubjectPublicKeyInfo();
    }

    public override KeyType Type => KeyType.Ecdsa;

    public override ReadOnlyMemory<byte> Data => _encoded;

    /// <summary>Parses a DER SubjectPublicKeyInfo holding an EC key on a supported named curve.</summary>
    /// <exception cref="FormatException">malformed, not canonical DER, not EC, or an unsupported curve.</exception>
    public static EcdsaPublicKey FromData(ReadOnlySpan<byte> data)
    {
        EcdsaPublicKey key;
        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(data, out var read);
            if (read != data.Length)
            {
                throw new FormatException("trailing bytes after ECDSA public key");
            }
            key = new EcdsaPublicKey(ecdsa.ExportParameters(includePrivateParameters: false));
        }
        catch (CryptographicException e)
        {
            throw new FormatException("malformed ECDSA public key", e);
        }
        if (!key._encoded.AsSpan().SequenceEqual(data))
        {
            throw new FormatException("ECDSA public key is not in canonical DER form");
        }
        return key;
    }

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (!EcdsaDerSignature.TryParse(signature, _scalarLength, out var r, out var s))
        {
            return false;
        }
        var fixedForm = new byte[2 * _scalarLength];
        r.CopyTo(fixedForm, _scalarLength - r.Length);
        s.CopyTo(fixedForm, 2 * _scalarLength - s.Length);
        try
        {
            using var ecdsa = ECDsa.Create(_parameters);
            return ecdsa.VerifyHash(SHA256.HashData(data), fixedForm, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
