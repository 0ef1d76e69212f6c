using System.Security.Cryptography;

namespace Dione.Primitives.Crypto;

/// <summary>
/// An X25519 (RFC 7748) key pair: 32-byte private scalar and 32-byte public u-coordinate, computed by libsodium.
/// Agreement refuses low-order peer keys, whose shared secret would be all zeros (libsodium's check, which Noise allows
/// and X3DH needs): <see cref="Agree"/> throws, <see cref="TryAgree"/> returns false.
/// </summary>
public sealed class X25519KeyPair
{
    public const int KeyLength = 32;

    private readonly byte[] _privateKey;

    private X25519KeyPair(byte[] privateKey)
    {
        _privateKey = privateKey;
        PublicKey = new byte[KeyLength];
        Geralt.X25519.ComputePublicKey(PublicKey, _privateKey);
    }

    /// <summary>The public u-coordinate, little-endian (RFC 7748 encoding).</summary>
    public byte[] PublicKey { get; }

    /// <summary>A fresh key pair from the system's random number generator.</summary>
    public static X25519KeyPair Generate() => new(RandomNumberGenerator.GetBytes(KeyLength));

    /// <summary>Rebuilds a key pair from its 32-byte private scalar (clamping happens inside the scalar multiplication).</summary>
    /// <exception cref="ArgumentException">the key is not 32 bytes.</exception>
    public static X25519KeyPair FromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != KeyLength)
        {
            throw new ArgumentException("an X25519 private key is 32 bytes", nameof(privateKey));
        }
        return new X25519KeyPair(privateKey.ToArray());
    }

    /// <summary>A copy of the private scalar, for serialising state. Callers should clear it after use.</summary>
    public byte[] ExportPrivateKey() => (byte[])_privateKey.Clone();

    /// <summary>The 32-byte X25519 shared secret with <paramref name="remotePublicKey"/>.</summary>
    /// <exception cref="ArgumentException">the remote key is not 32 bytes.</exception>
    /// <exception cref="CryptographicException">the remote key has low order (the result would be all zeros).</exception>
    public byte[] Agree(ReadOnlySpan<byte> remotePublicKey)
    {
        if (remotePublicKey.Length != KeyLength)
        {
            throw new ArgumentException("an X25519 public key is 32 bytes", nameof(remotePublicKey));
        }
        var shared = new byte[KeyLength];
        if (!TryAgree(remotePublicKey, shared))
        {
            throw new CryptographicException("X25519 agreement with a low-order public key");
        }
        return shared;
    }

    /// <summary>
    /// Writes the shared secret with <paramref name="remotePublicKey"/> into <paramref name="sharedSecret"/>. Returns false,
    /// leaving the destination zeroed, when either is not 32 bytes or the remote key has low order.
    /// </summary>
    public bool TryAgree(ReadOnlySpan<byte> remotePublicKey, Span<byte> sharedSecret)
    {
        if (remotePublicKey.Length != KeyLength || sharedSecret.Length != KeyLength)
        {
            return false;
        }
        try
        {
            Geralt.X25519.ComputeSharedSecret(sharedSecret, _privateKey, remotePublicKey);
            return true;
        }
        catch (CryptographicException)
        {
            // libsodium returns -1 for a low-order point (an all-zero result); Geralt turns that into this exception.
            CryptographicOperations.ZeroMemory(sharedSecret);
            return false;
        }
    }
}
