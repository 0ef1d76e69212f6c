using System.Security.Cryptography;
using BcX25519 = Org.BouncyCastle.Math.EC.Rfc7748.X25519;

namespace Dione.Messaging.Crypto;

/// <summary>
/// An X25519 (RFC 7748) key pair: 32-byte private scalar and 32-byte public u-coordinate.
/// <see cref="Agree"/> refuses low-order peer keys, whose shared secret would be all zeros.
/// </summary>
public sealed class X25519KeyPair
{
    public const int KeyLength = 32;

    private readonly byte[] _privateKey;

    private X25519KeyPair(byte[] privateKey)
    {
        _privateKey = privateKey;
        PublicKey = new byte[KeyLength];
        BcX25519.ScalarMultBase(_privateKey, 0, PublicKey, 0);
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
        if (!BcX25519.CalculateAgreement(_privateKey, 0, remotePublicKey.ToArray(), 0, shared, 0))
        {
            throw new CryptographicException("X25519 agreement with a low-order public key");
        }
        return shared;
    }
}
