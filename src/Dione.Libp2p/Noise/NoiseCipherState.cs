using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Dione.Libp2p.Noise;

/// <summary>
/// A Noise CipherState with a key (rev 34, section 5.1) for ChaChaPoly: ChaCha20-Poly1305 (RFC 8439) with a 96-bit
/// nonce made of 32 zero bits followed by the 64-bit counter in little-endian order. The counter value 2^64-1 is
/// reserved, so after 2^64-1 messages every further call fails instead of reusing a nonce.
/// Not thread-safe: one user at a time (the stream gives each direction its own instance).
/// </summary>
internal sealed class NoiseCipherState : IDisposable
{
    public const int KeyLength = 32;
    public const int NonceLength = 12;

    private readonly ChaCha20Poly1305 _aead;
    private ulong _nonce;

    public NoiseCipherState(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyLength)
        {
            throw new ArgumentException("ChaChaPoly key must be 32 bytes", nameof(key));
        }
        _aead = new ChaCha20Poly1305(key);
    }

    /// <summary>The next nonce to use. Settable for tests that exercise the nonce limit.</summary>
    internal ulong Nonce
    {
        get => _nonce;
        set => _nonce = value;
    }

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="destination"/> (ciphertext then 16-byte tag).
    /// The buffers may be the same memory (in-place) but must not otherwise overlap.</summary>
    /// <exception cref="CryptographicException">The nonce space is exhausted.</exception>
    public void Encrypt(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        if (destination.Length != plaintext.Length + NoiseLimits.TagLength)
        {
            throw new ArgumentException("destination must be plaintext length plus the tag", nameof(destination));
        }
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteNonce(nonce);
        _aead.Encrypt(nonce, plaintext, destination[..plaintext.Length], destination[plaintext.Length..], associatedData);
        _nonce++;
    }

    /// <summary>Decrypts and authenticates <paramref name="ciphertext"/> (ciphertext then tag) into
    /// <paramref name="destination"/>. On failure the nonce is not advanced, as the Noise spec says.</summary>
    /// <exception cref="CryptographicException">Authentication failed or the nonce space is exhausted.</exception>
    public void Decrypt(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertext, Span<byte> destination)
    {
        var plaintextLength = ciphertext.Length - NoiseLimits.TagLength;
        if (plaintextLength < 0)
        {
            throw new CryptographicException("ciphertext is shorter than the authentication tag");
        }
        if (destination.Length != plaintextLength)
        {
            throw new ArgumentException("destination must be ciphertext length minus the tag", nameof(destination));
        }
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteNonce(nonce);
        _aead.Decrypt(nonce, ciphertext[..plaintextLength], ciphertext[plaintextLength..], destination, associatedData);
        _nonce++;
    }

    public void Dispose() => _aead.Dispose();

    private void WriteNonce(Span<byte> nonce)
    {
        if (_nonce == ulong.MaxValue)
        {
            throw new CryptographicException("Noise nonce space exhausted; the connection must be closed");
        }
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], _nonce);
    }
}
