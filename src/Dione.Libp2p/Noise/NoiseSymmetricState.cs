using System.Security.Cryptography;
using System.Text;

namespace Dione.Libp2p.Noise;

/// <summary>
/// The Noise SymmetricState (rev 34, section 5.2) for SHA256 and ChaChaPoly: the chaining key, the handshake hash
/// and the current handshake cipher.
/// </summary>
internal sealed class NoiseSymmetricState : IDisposable
{
    private const int HashLength = NoiseLimits.HashLength;

    private readonly byte[] _chainingKey = new byte[HashLength];
    private readonly byte[] _hash = new byte[HashLength];
    private NoiseCipherState? _cipher;

    public NoiseSymmetricState(string protocolName)
    {
        var name = Encoding.ASCII.GetBytes(protocolName);
        if (name.Length <= HashLength)
        {
            name.CopyTo(_hash, 0);
        }
        else
        {
            SHA256.HashData(name, _hash);
        }
        _hash.CopyTo(_chainingKey, 0);
    }

    /// <summary>The handshake hash h, usable for channel binding once the handshake is over.</summary>
    public ReadOnlySpan<byte> HandshakeHash => _hash;

    /// <summary>True once a key has been mixed in, so payloads are encrypted.</summary>
    public bool HasKey => _cipher is not null;

    public void MixHash(ReadOnlySpan<byte> data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(_hash);
        hash.AppendData(data);
        hash.GetHashAndReset(_hash);
    }

    public void MixKey(ReadOnlySpan<byte> inputKeyMaterial)
    {
        Span<byte> key = stackalloc byte[HashLength];
        try
        {
            NoiseHkdf.Derive(_chainingKey, inputKeyMaterial, _chainingKey, key);
            _cipher?.Dispose();
            _cipher = new NoiseCipherState(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The ciphertext length for a plaintext of <paramref name="plaintextLength"/> bytes.</summary>
    public int CiphertextLength(int plaintextLength) => HasKey ? plaintextLength + NoiseLimits.TagLength : plaintextLength;

    /// <summary>Encrypts (when keyed) into <paramref name="destination"/>, which must be exactly
    /// <see cref="CiphertextLength"/> bytes, then mixes the ciphertext into h.</summary>
    public void EncryptAndHash(ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        if (_cipher is null)
        {
            plaintext.CopyTo(destination);
        }
        else
        {
            _cipher.Encrypt(_hash, plaintext, destination);
        }
        MixHash(destination);
    }

    /// <summary>Decrypts (when keyed) and mixes the ciphertext into h.</summary>
    /// <exception cref="CryptographicException">The ciphertext did not authenticate.</exception>
    public byte[] DecryptAndHash(ReadOnlySpan<byte> ciphertext)
    {
        byte[] plaintext;
        if (_cipher is null)
        {
            plaintext = ciphertext.ToArray();
        }
        else
        {
            if (ciphertext.Length < NoiseLimits.TagLength)
            {
                throw new CryptographicException("ciphertext is shorter than the authentication tag");
            }
            plaintext = new byte[ciphertext.Length - NoiseLimits.TagLength];
            _cipher.Decrypt(_hash, ciphertext, plaintext);
        }
        MixHash(ciphertext);
        return plaintext;
    }

    /// <summary>Derives the two transport ciphers: the first for initiator-to-responder, the second for the reverse.</summary>
    public (NoiseCipherState InitiatorToResponder, NoiseCipherState ResponderToInitiator) Split()
    {
        Span<byte> key1 = stackalloc byte[HashLength];
        Span<byte> key2 = stackalloc byte[HashLength];
        try
        {
            NoiseHkdf.Derive(_chainingKey, ReadOnlySpan<byte>.Empty, key1, key2);
            return (new NoiseCipherState(key1), new NoiseCipherState(key2));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key1);
            CryptographicOperations.ZeroMemory(key2);
        }
    }

    public void Dispose()
    {
        _cipher?.Dispose();
        _cipher = null;
        CryptographicOperations.ZeroMemory(_chainingKey);
    }
}
