using System.Security.Cryptography;

namespace Dione.Primitives.Crypto;

/// <summary>
/// Ed25519 (RFC 8032) on libsodium, for the libp2p identity keys and the Dione identity key alike.
/// Verification is libsodium's: strict RFC 8032 (S &lt; L, canonical R and A) and, beyond the RFC, it refuses public keys
/// and R values of small order; it is not the lenient ZIP-215 rule set.
/// </summary>
public static class Ed25519
{
    public const int SeedLength = 32;
    public const int PublicKeyLength = 32;
    public const int SignatureLength = 64;

    /// <summary>libsodium's private key: the seed followed by its public key.</summary>
    public const int ExpandedPrivateKeyLength = SeedLength + PublicKeyLength;

    private static readonly byte[] FieldPrimeLittleEndian = Convert.FromHexString("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");

    /// <summary>The 64-byte private key (seed ‖ public key) for a 32-byte seed; the public key is its last 32 bytes.</summary>
    /// <exception cref="ArgumentException">the seed is not 32 bytes.</exception>
    public static byte[] ExpandSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedLength)
        {
            throw new ArgumentException("an Ed25519 seed is 32 bytes", nameof(seed));
        }
        var privateKey = new byte[ExpandedPrivateKeyLength];
        Geralt.Ed25519.GenerateKeyPair(privateKey.AsSpan(SeedLength), privateKey, seed);
        return privateKey;
    }

    /// <summary>Signs with a private key from <see cref="ExpandSeed"/>.</summary>
    /// <exception cref="ArgumentException">the private key is not 64 bytes.</exception>
    public static byte[] Sign(ReadOnlySpan<byte> expandedPrivateKey, ReadOnlySpan<byte> message)
    {
        if (expandedPrivateKey.Length != ExpandedPrivateKeyLength)
        {
            throw new ArgumentException("an expanded Ed25519 private key is 64 bytes", nameof(expandedPrivateKey));
        }
        var signature = new byte[SignatureLength];
        Geralt.Ed25519.Sign(signature, message, expandedPrivateKey);
        return signature;
    }

    /// <summary>Checks a signature; wrong lengths, invalid or small-order keys and non-canonical encodings give false, never an exception.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        publicKey.Length == PublicKeyLength
        && signature.Length == SignatureLength
        && Geralt.Ed25519.Verify(signature, message, publicKey);

    /// <summary>
    /// Maps an Ed25519 public key to the X25519 u-coordinate of the same point, u = (1 + y) / (1 − y) mod p (libsodium's
    /// <c>crypto_sign_ed25519_pk_to_curve25519</c>).
    /// </summary>
    /// <exception cref="ArgumentException">wrong length, y ≥ p, or not a point of the prime-order subgroup (which
    /// also refuses y = 1, the identity, which has no u).</exception>
    public static byte[] PublicKeyToX25519(ReadOnlySpan<byte> edwardsPublicKey)
    {
        if (edwardsPublicKey.Length != PublicKeyLength)
        {
            throw new ArgumentException("an Ed25519 public key is 32 bytes", nameof(edwardsPublicKey));
        }
        if (!IsCanonicalY(edwardsPublicKey))
        {
            throw new ArgumentException("Ed25519 public key is not canonical (y ≥ p)", nameof(edwardsPublicKey));
        }
        var u = new byte[PublicKeyLength];
        try
        {
            Geralt.Ed25519.ComputeX25519PublicKey(u, edwardsPublicKey);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException("not a valid Ed25519 public key", nameof(edwardsPublicKey), e);
        }
        return u;
    }

    /// <summary>
    /// The X25519 private scalar of an Ed25519 seed: the first half of SHA-512(seed), as RFC 8032 derives the signing
    /// scalar (left unclamped: X25519 clamps when it uses it).
    /// </summary>
    /// <exception cref="ArgumentException">the seed is not 32 bytes.</exception>
    public static X25519KeyPair SeedToX25519(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedLength)
        {
            throw new ArgumentException("an Ed25519 seed is 32 bytes", nameof(seed));
        }
        Span<byte> hash = stackalloc byte[SHA512.HashSizeInBytes];
        try
        {
            SHA512.HashData(seed, hash);
            return X25519KeyPair.FromPrivateKey(hash[..X25519KeyPair.KeyLength]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(hash);
        }
    }

    /// <summary>True when the 255-bit y (sign bit masked off) is below p = 2^255 − 19.</summary>
    private static bool IsCanonicalY(ReadOnlySpan<byte> encoded)
    {
        for (var i = PublicKeyLength - 1; i >= 0; i--)
        {
            var value = i == PublicKeyLength - 1 ? encoded[i] & 0x7F : encoded[i];
            if (value != FieldPrimeLittleEndian[i])
            {
                return value < FieldPrimeLittleEndian[i];
            }
        }
        return false;
    }
}
