using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Dione.Libp2p.Identity;

/// <summary>
/// The DER SubjectPublicKeyInfo of an RSA key (RFC 5280 / RFC 8017): <c>SEQUENCE { SEQUENCE { rsaEncryption, NULL },
/// BIT STRING { SEQUENCE { INTEGER n, INTEGER e } } }</c>, read and written in managed code so that parsing untrusted
/// keys does not create native key objects.
/// </summary>
internal static class RsaSubjectPublicKeyInfo
{
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";

    /// <exception cref="FormatException">not strict DER, not rsaEncryption with NULL parameters, or trailing bytes.</exception>
    public static RSAParameters Decode(ReadOnlySpan<byte> der)
    {
        try
        {
            var outer = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            var info = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var algorithm = info.ReadSequence();
            if (algorithm.ReadObjectIdentifier() != RsaEncryptionOid)
            {
                throw new FormatException("public key is not an RSA key");
            }
            algorithm.ReadNull();
            algorithm.ThrowIfNotEmpty();
            var keyBits = info.ReadBitString(out var unusedBits);
            info.ThrowIfNotEmpty();
            if (unusedBits != 0)
            {
                throw new FormatException("RSA public key bit string has unused bits");
            }
            var keyReader = new AsnReader(keyBits, AsnEncodingRules.DER);
            var key = keyReader.ReadSequence();
            keyReader.ThrowIfNotEmpty();
            var modulus = ReadPositive(key);
            var exponent = ReadPositive(key);
            key.ThrowIfNotEmpty();
            return new RSAParameters { Modulus = modulus, Exponent = exponent };
        }
        catch (AsnContentException e)
        {
            throw new FormatException("malformed RSA public key", e);
        }
        catch (CryptographicException e)
        {
            throw new FormatException("malformed RSA public key", e);
        }
    }

    public static byte[] Encode(RSAParameters parameters)
    {
        var key = new AsnWriter(AsnEncodingRules.DER);
        using (key.PushSequence())
        {
            key.WriteIntegerUnsigned(parameters.Modulus);
            key.WriteIntegerUnsigned(parameters.Exponent);
        }
        var info = new AsnWriter(AsnEncodingRules.DER);
        using (info.PushSequence())
        {
            using (info.PushSequence())
            {
                info.WriteObjectIdentifier(RsaEncryptionOid);
                info.WriteNull();
            }
            info.WriteBitString(key.Encode());
        }
        return info.Encode();
    }

    private static byte[] ReadPositive(AsnReader reader)
    {
        var value = reader.ReadIntegerBytes().Span;
        if ((value[0] & 0x80) != 0)
        {
            throw new FormatException("negative RSA key component");
        }
        return (value[0] == 0 ? value[1..] : value).ToArray();
    }
}
