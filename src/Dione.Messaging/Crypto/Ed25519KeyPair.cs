using System.Security.Cryptography;
using Dione.Primitives.Crypto;

namespace Dione.Messaging.Crypto;

/// <summary>
/// An Ed25519 (RFC 8032) signing key pair. The same key also acts as an X25519 key through the birational map
/// between the two curves (<see cref="ToX25519"/>, <see cref="PublicKeyToX25519"/>), the way libsodium's
/// <c>crypto_sign_ed25519_*_to_curve25519</c> does, so one identity key both signs prekeys and takes part in X3DH.
/// </summary>
public sealed class Ed25519KeyPair
{
    public const int SeedLength = Ed25519.SeedLength;
    public const int PublicKeyLength = Ed25519.PublicKeyLength;
    public const int SignatureLength = Ed25519.SignatureLength;

    /// <summary>Seed ‖ public key, the form the signing primitive takes.</summary>
    private readonly byte[] _privateKey;

    private Ed25519KeyPair(ReadOnlySpan<byte> seed)
    {
        _privateKey = Ed25519.ExpandSeed(seed);
        PublicKey = _privateKey[SeedLength..];
    }

    /// <summary>The 32-byte compressed Edwards point.</summary>
    public byte[] PublicKey { get; }

    public static Ed25519KeyPair Generate()
    {
        Span<byte> seed = stackalloc byte[SeedLength];
        RandomNumberGenerator.Fill(seed);
        return new Ed25519KeyPair(seed);
    }

    /// <exception cref="ArgumentException">the seed is not 32 bytes.</exception>
    public static Ed25519KeyPair FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedLength)
        {
            throw new ArgumentException("an Ed25519 seed is 32 bytes", nameof(seed));
        }
        return new Ed25519KeyPair(seed);
    }

    /// <summary>A copy of the 32-byte seed, for serialising state.</summary>
    public byte[] ExportSeed() => _privateKey[..SeedLength];

    public byte[] Sign(ReadOnlySpan<byte> message) => Ed25519.Sign(_privateKey, message);

    /// <summary>Checks an Ed25519 signature; wrong lengths and non-canonical encodings give false, never an exception.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        Ed25519.Verify(publicKey, message, signature);

    /// <summary>The X25519 key pair with the same secret scalar: the first half of SHA-512(seed), as RFC 8032 derives it.</summary>
    public X25519KeyPair ToX25519() => Ed25519.SeedToX25519(_privateKey.AsSpan(0, SeedLength));

    /// <summary>
    /// Maps an Ed25519 public key (y, with the sign of x in the top bit) to the X25519 u-coordinate u = (1 + y) / (1 − y) mod p.
    /// </summary>
    /// <exception cref="ArgumentException">wrong length, y ≥ p, y = 1 (no u), or not a point on the curve.</exception>
    public static byte[] PublicKeyToX25519(ReadOnlySpan<byte> edwardsPublicKey) => Ed25519.PublicKeyToX25519(edwardsPublicKey);
}
