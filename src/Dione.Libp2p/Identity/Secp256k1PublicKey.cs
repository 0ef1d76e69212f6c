using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using SHA256 = System.Security.Cryptography.SHA256;

namespace Dione.Libp2p.Identity;

/// <summary>
/// A secp256k1 public key. Its libp2p <c>Data</c> is the 33-byte compressed SEC1 point ("standard Bitcoin encoding");
/// the 65-byte uncompressed form is accepted on input (as go-libp2p does) and re-encoded compressed.
/// Signatures are DER-encoded ECDSA over SHA-256 of the message. Like go-libp2p (and unlike js-libp2p, which
/// verifies with low-S enforced), verification accepts high-S signatures; signing always produces low-S ones.
/// </summary>
public sealed class Secp256k1PublicKey : PublicKey
{
    /// <summary>Length of the compressed point, the canonical <c>Data</c>.</summary>
    public const int CompressedLength = 33;

    /// <summary>Length of the uncompressed point, accepted on input.</summary>
    public const int UncompressedLength = 65;

    private readonly ECPoint _point;
    private readonly byte[] _compressed;

    internal Secp256k1PublicKey(ECPoint point)
    {
        _point = point.Normalize();
        _compressed = _point.GetEncoded(compressed: true);
    }

    public override KeyType Type => KeyType.Secp256k1;

    public override ReadOnlyMemory<byte> Data => _compressed;

    /// <summary>Parses a compressed (33-byte) or uncompressed (65-byte) SEC1 point on secp256k1.</summary>
    /// <exception cref="FormatException">wrong length or prefix, or not a point on the curve.</exception>
    public static Secp256k1PublicKey FromData(ReadOnlySpan<byte> data)
    {
        var validPrefix = data.Length switch
        {
            CompressedLength => data[0] is 0x02 or 0x03,
            UncompressedLength => data[0] == 0x04,
            _ => false,
        };
        if (!validPrefix)
        {
            throw new FormatException("secp256k1 public key must be a 33-byte compressed or 65-byte uncompressed point");
        }
        ECPoint point;
        try
        {
            point = Secp256k1Curve.Domain.Curve.DecodePoint(data.ToArray());
        }
        catch (ArgumentException e)
        {
            throw new FormatException("secp256k1 public key is not a point on the curve", e);
        }
        if (point.IsInfinity || !point.IsValid())
        {
            throw new FormatException("secp256k1 public key is not a valid point");
        }
        return new Secp256k1PublicKey(point);
    }

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (!EcdsaDerSignature.TryParse(signature, Secp256k1Curve.ScalarLength, out var rBytes, out var sBytes))
        {
            return false;
        }
        var r = new BigInteger(1, rBytes);
        var s = new BigInteger(1, sBytes);
        var n = Secp256k1Curve.Domain.N;
        if (r.CompareTo(n) >= 0 || s.CompareTo(n) >= 0)
        {
            return false;
        }
        var verifier = new ECDsaSigner();
        verifier.Init(false, new ECPublicKeyParameters(_point, Secp256k1Curve.Domain));
        return verifier.VerifySignature(SHA256.HashData(data), r, s);
    }
}
