using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;

namespace Dione.Libp2p.Identity;

/// <summary>
/// The DER PKCS #1 RSAPrivateKey (RFC 8017 A.1.2, two primes, version 0), read and written in managed code and
/// checked for consistency the way go's rsa.PrivateKey.Validate and Precompute do, so that a bad key is refused
/// before any native key object exists.
/// </summary>
internal static class RsaPrivateKeyDer
{
    /// <exception cref="FormatException">not strict DER, multi-prime, or inconsistent components.</exception>
    public static RSAParameters Decode(ReadOnlySpan<byte> der)
    {
        byte[] modulus, exponent, d, p, q, dp, dq, inverseQ;
        try
        {
            var outer = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            var key = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            if (!key.TryReadInt32(out var version) || version != 0)
            {
                throw new FormatException("only two-prime (version 0) RSA private keys are supported");
            }
            modulus = ReadPositive(key);
            exponent = ReadPositive(key);
            d = ReadPositive(key);
            p = ReadPositive(key);
            q = ReadPositive(key);
            dp = ReadPositive(key);
            dq = ReadPositive(key);
            inverseQ = ReadPositive(key);
            key.ThrowIfNotEmpty();
        }
        catch (AsnContentException e)
        {
            throw new FormatException("malformed RSA private key", e);
        }
        var parameters = new RSAParameters { Modulus = modulus, Exponent = exponent };
        RsaKeySize.Check(parameters);
        CheckConsistency(modulus, exponent, d, p, q, dp, dq, inverseQ);
        var half = (modulus.Length + 1) / 2;
        parameters.D = Pad(d, modulus.Length);
        parameters.P = Pad(p, half);
        parameters.Q = Pad(q, half);
        parameters.DP = Pad(dp, half);
        parameters.DQ = Pad(dq, half);
        parameters.InverseQ = Pad(inverseQ, half);
        return parameters;
    }

    public static byte[] Encode(RSAParameters parameters)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            foreach (var component in new[] { parameters.Modulus, parameters.Exponent, parameters.D, parameters.P, parameters.Q, parameters.DP, parameters.DQ, parameters.InverseQ })
            {
                writer.WriteInteger(ToInteger(component));
            }
        }
        return writer.Encode();
    }

    /// <summary>n = p·q, e·d ≡ 1 (mod p−1, q−1), and the CRT values are d mod (p−1), d mod (q−1), q⁻¹ mod p.</summary>
    private static void CheckConsistency(byte[] modulus, byte[] exponent, byte[] d, byte[] p, byte[] q, byte[] dp, byte[] dq, byte[] inverseQ)
    {
        var n = ToInteger(modulus);
        var e = ToInteger(exponent);
        var dValue = ToInteger(d);
        var pValue = ToInteger(p);
        var qValue = ToInteger(q);
        if (pValue <= 1 || qValue <= 1 || pValue * qValue != n
            || (e * dValue) % (pValue - 1) != 1 || (e * dValue) % (qValue - 1) != 1
            || dValue % (pValue - 1) != ToInteger(dp) || dValue % (qValue - 1) != ToInteger(dq)
            || (ToInteger(inverseQ) * qValue) % pValue != 1)
        {
            throw new FormatException("inconsistent RSA private key");
        }
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

    private static BigInteger ToInteger(byte[]? bytes) => new(bytes, isUnsigned: true, isBigEndian: true);

    private static byte[] Pad(byte[] value, int length)
    {
        if (value.Length > length)
        {
            throw new FormatException("RSA key component longer than the modulus allows");
        }
        var padded = new byte[length];
        value.CopyTo(padded, length - value.Length);
        return padded;
    }
}
