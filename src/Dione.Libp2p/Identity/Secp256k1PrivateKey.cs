using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;

namespace Dione.Libp2p.Identity;

/// <summary>
/// A secp256k1 private key: its libp2p <c>Data</c> is the 32-byte big-endian scalar. Signatures are deterministic
/// (RFC 6979 nonces, as go-libp2p's decred library makes them), low-S normalised, DER-encoded ECDSA over SHA-256.
/// </summary>
public sealed class Secp256k1PrivateKey : PrivateKey
{
    /// <summary>Length of the scalar.</summary>
    public const int KeyLength = Secp256k1Curve.ScalarLength;

    private readonly BigInteger _scalar;

    private Secp256k1PrivateKey(BigInteger scalar)
    {
        _scalar = scalar;
        PublicKey = new Secp256k1PublicKey(Secp256k1Curve.Domain.G.Multiply(scalar));
    }

    public override KeyType Type => KeyType.Secp256k1;

    public override PublicKey PublicKey { get; }

    public static Secp256k1PrivateKey Generate()
    {
        while (true)
        {
            var candidate = new BigInteger(1, RandomNumberGenerator.GetBytes(KeyLength));
            if (IsValidScalar(candidate))
            {
                return new Secp256k1PrivateKey(candidate);
            }
        }
    }

    /// <summary>Parses the 32-byte scalar, which must lie in [1, n-1].</summary>
    /// <exception cref="FormatException">wrong length or out of range.</exception>
    public static Secp256k1PrivateKey FromData(ReadOnlySpan<byte> data)
    {
        if (data.Length != KeyLength)
        {
            throw new FormatException("secp256k1 private key must be 32 bytes");
        }
        var scalar = new BigInteger(1, data.ToArray());
        if (!IsValidScalar(scalar))
        {
            throw new FormatException("secp256k1 private key is out of range");
        }
        return new Secp256k1PrivateKey(scalar);
    }

    protected override byte[] ExportData() => Secp256k1Curve.ToScalarBytes(_scalar);

    public override byte[] Sign(ReadOnlySpan<byte> data)
    {
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, new ECPrivateKeyParameters(_scalar, Secp256k1Curve.Domain));
        var rs = signer.GenerateSignature(SHA256.HashData(data));
        var s = rs[1].CompareTo(Secp256k1Curve.HalfOrder) > 0 ? Secp256k1Curve.Domain.N.Subtract(rs[1]) : rs[1];
        return EcdsaDerSignature.Encode(rs[0].ToByteArrayUnsigned(), s.ToByteArrayUnsigned());
    }

    private static bool IsValidScalar(BigInteger value) =>
        value.SignValue > 0 && value.CompareTo(Secp256k1Curve.Domain.N) < 0;
}
