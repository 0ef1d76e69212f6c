using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;

namespace Dione.Libp2p.Identity;

/// <summary>The secp256k1 domain parameters (SEC 2), shared read-only by the secp256k1 key classes.</summary>
internal static class Secp256k1Curve
{
    /// <summary>Byte length of a scalar (private key, r, s).</summary>
    public const int ScalarLength = 32;

    private static readonly X9ECParameters Parameters = CustomNamedCurves.GetByName("secp256k1");

    public static readonly ECDomainParameters Domain =
        new(Parameters.Curve, Parameters.G, Parameters.N, Parameters.H, Parameters.GetSeed());

    /// <summary>n / 2: signatures are normalised to s ≤ this (low-S, BIP 62).</summary>
    public static readonly BigInteger HalfOrder = Parameters.N.ShiftRight(1);

    /// <summary>The unsigned big-endian scalar, left-padded to 32 bytes.</summary>
    public static byte[] ToScalarBytes(BigInteger value)
    {
        var magnitude = value.ToByteArrayUnsigned();
        var bytes = new byte[ScalarLength];
        magnitude.CopyTo(bytes, ScalarLength - magnitude.Length);
        return bytes;
    }
}
