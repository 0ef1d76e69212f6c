using System.Security.Cryptography;
using BcX25519 = Org.BouncyCastle.Math.EC.Rfc7748.X25519;

namespace Dione.Libp2p.Noise;

/// <summary>An X25519 key pair (RFC 7748), the Noise 25519 DH functions.</summary>
internal sealed class X25519KeyPair
{
    public const int KeyLength = NoiseLimits.DhLength;

    private readonly byte[] _privateKey;
    private readonly byte[] _publicKey;

    private X25519KeyPair(byte[] privateKey)
    {
        _privateKey = privateKey;
        _publicKey = new byte[KeyLength];
        BcX25519.ScalarMultBase(_privateKey, 0, _publicKey, 0);
    }

    /// <summary>The 32-byte public key (u-coordinate, little-endian).</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>A fresh key pair from the system's cryptographic random source.</summary>
    public static X25519KeyPair Generate() => new(RandomNumberGenerator.GetBytes(KeyLength));

    /// <summary>The key pair for a given 32-byte private scalar (clamped when used, as RFC 7748 says).</summary>
    public static X25519KeyPair FromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != KeyLength)
        {
            throw new ArgumentException("X25519 private key must be 32 bytes", nameof(privateKey));
        }
        return new X25519KeyPair(privateKey.ToArray());
    }

    /// <summary>
    /// Computes the shared secret with <paramref name="remotePublicKey"/>. Returns false when the remote key is not
    /// 32 bytes or the result is all zeros (a low-order remote point), which Noise allows an implementation to refuse.
    /// </summary>
    public bool TryAgree(ReadOnlySpan<byte> remotePublicKey, Span<byte> sharedSecret)
    {
        if (remotePublicKey.Length != KeyLength || sharedSecret.Length != KeyLength)
        {
            return false;
        }
        var result = new byte[KeyLength];
        try
        {
            if (!BcX25519.CalculateAgreement(_privateKey, 0, remotePublicKey.ToArray(), 0, result, 0))
            {
                return false;
            }
            result.CopyTo(sharedSecret);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(result);
        }
    }
}
