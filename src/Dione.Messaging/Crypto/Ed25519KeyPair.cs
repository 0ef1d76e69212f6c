using System.Numerics;
using System.Security.Cryptography;
using BcEd25519 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace Dione.Messaging.Crypto;

/// <summary>
/// An Ed25519 (RFC 8032) signing key pair. The same key also acts as an X25519 key through the birational map
/// between the two curves (<see cref="ToX25519"/>, <see cref="PublicKeyToX25519"/>), the way libsodium's
/// <c>crypto_sign_ed25519_*_to_curve25519</c> does, so one identity key both signs prekeys and takes part in X3DH.
/// </summary>
public sealed class Ed25519KeyPair
{
    public const int SeedLength = 32;
    public const int PublicKeyLength = 32;
    public const int SignatureLength = 64;

    private static readonly BigInteger FieldPrime = BigInteger.Pow(2, 255) - 19;

    private readonly byte[] _seed;

    private Ed25519KeyPair(byte[] seed)
    {
        _seed = seed;
        PublicKey = new byte[PublicKeyLength];
        BcEd25519.GeneratePublicKey(_seed, 0, PublicKey, 0);
    }

    /// <summary>The 32-byte compressed Edwards point.</summary>
    public byte[] PublicKey { get; }

    public static Ed25519KeyPair Generate() => new(RandomNumberGenerator.GetBytes(SeedLength));

    /// <exception cref="ArgumentException">the seed is not 32 bytes.</exception>
    public static Ed25519KeyPair FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedLength)
        {
            throw new ArgumentException("an Ed25519 seed is 32 bytes", nameof(seed));
        }
        return new Ed25519KeyPair(seed.ToArray());
    }

    /// <summary>A copy of the 32-byte seed, for serialising state.</summary>
    public byte[] ExportSeed() => (byte[])_seed.Clone();

    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signature = new byte[SignatureLength];
        var data = message.ToArray();
        BcEd25519.Sign(_seed, 0, data, 0, data.Length, signature, 0);
        return signature;
    }

    /// <summary>Checks an Ed25519 signature; wrong lengths and non-canonical encodings give false, never an exception.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeyLength || signature.Length != SignatureLength)
        {
            return false;
        }
        var data = message.ToArray();
        return BcEd25519.Verify(signature.ToArray(), 0, publicKey.ToArray(), 0, data, 0, data.Length);
    }

    /// <summary>The X25519 key pair with the same secret scalar: the first half of SHA-512(seed), as RFC 8032 derives it.</summary>
    public X25519KeyPair ToX25519()
    {
        var hash = SHA512.HashData(_seed);
        try
        {
            return X25519KeyPair.FromPrivateKey(hash.AsSpan(0, X25519KeyPair.KeyLength));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(hash);
        }
    }

    /// <summary>
    /// Maps an Ed25519 public key (y, with the sign of x in the top bit) to the X25519 u-coordinate u = (1 + y) / (1 − y) mod p.
    /// </summary>
    /// <exception cref="ArgumentException">wrong length, y ≥ p, y = 1 (no u), or not a point on the curve.</exception>
    public static byte[] PublicKeyToX25519(ReadOnlySpan<byte> edwardsPublicKey)
    {
        if (edwardsPublicKey.Length != PublicKeyLength)
        {
            throw new ArgumentException("an Ed25519 public key is 32 bytes", nameof(edwardsPublicKey));
        }
        if (!BcEd25519.ValidatePublicKeyFull(edwardsPublicKey.ToArray(), 0))
        {
            throw new ArgumentException("not a valid Ed25519 public key", nameof(edwardsPublicKey));
        }
        var yBytes = edwardsPublicKey.ToArray();
        yBytes[31] &= 0x7F;
        var y = new BigInteger(yBytes, isUnsigned: true, isBigEndian: false);
        if (y >= FieldPrime || y.IsOne)
        {
            throw new ArgumentException("Ed25519 public key has no X25519 counterpart", nameof(edwardsPublicKey));
        }
        var numerator = (1 + y) % FieldPrime;
        var denominator = (1 - y + FieldPrime) % FieldPrime;
        var u = numerator * BigInteger.ModPow(denominator, FieldPrime - 2, FieldPrime) % FieldPrime;
        var result = new byte[X25519KeyPair.KeyLength];
        u.TryWriteBytes(result, out _, isUnsigned: true, isBigEndian: false);
        return result;
    }
}
