using System.Numerics;

namespace Dione.Messaging.X3dh;

/// <summary>
/// Checks an X25519 public key received from someone else: 32 bytes, canonical (top bit clear, u &lt; p), and not one of
/// the points of order 1, 2, 4 or 8 on the curve or its twist (u ∈ {0, 1, p − 1} and the two points of order 8), whose
/// DH output is all zeros for every clamped scalar. Canonical form matters because u and u + p (or a set top bit) give the
/// same DH output: refusing the copies keeps one byte string per key, so replay checks on exact bytes cannot be dodged.
/// </summary>
public static class X25519PublicKeyValidator
{
    private static readonly BigInteger FieldPrime = BigInteger.Pow(2, 255) - 19;

    private static readonly BigInteger[] LowOrderU =
    [
        BigInteger.Zero,
        BigInteger.One,
        FieldPrime - 1,
        BigInteger.Parse("325606250916557431795983626356110631294008115727848805560023387167927233504", System.Globalization.CultureInfo.InvariantCulture),
        BigInteger.Parse("39382357235489614581723060781553021112529911719440698176882885853963445705823", System.Globalization.CultureInfo.InvariantCulture),
    ];

    /// <summary>Why a key was refused, or <see cref="X25519KeyProblem.None"/>.</summary>
    public static X25519KeyProblem Check(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != 32)
        {
            return X25519KeyProblem.WrongLength;
        }
        if ((publicKey[31] & 0x80) != 0)
        {
            return X25519KeyProblem.NotCanonical;
        }
        var u = new BigInteger(publicKey, isUnsigned: true, isBigEndian: false);
        if (u >= FieldPrime)
        {
            return X25519KeyProblem.NotCanonical;
        }
        foreach (var bad in LowOrderU)
        {
            if (u == bad)
            {
                return X25519KeyProblem.LowOrder;
            }
        }
        return X25519KeyProblem.None;
    }

    /// <summary>True when <see cref="Check"/> finds nothing wrong.</summary>
    public static bool IsValid(ReadOnlySpan<byte> publicKey) => Check(publicKey) == X25519KeyProblem.None;
}
