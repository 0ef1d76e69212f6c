using System.Security.Cryptography;
using Dione.Cli.Protos;
using Google.Protobuf;

namespace Dione.Cli.Keys;

/// <summary>
/// A repo's identities sealed with a passphrase (docs/protocol.md, "Key export file"): a <see cref="KeyFileHeader"/>,
/// then the <see cref="RepoIdentities"/> protobuf encrypted with XChaCha20-Poly1305 under a key that Argon2id derives
/// from the passphrase and the header's salt, with the header as associated data.
/// </summary>
public static class KeyFile
{
    /// <summary>The largest key file read: far above any real one (an RSA-4096 node key is about 2.4 KB).</summary>
    public const int MaxLength = 64 * 1024;

    private const int KeyLength = 32;
    private const int TagLength = 16;

    /// <exception cref="ArgumentException">an empty passphrase, or KDF parameters out of bounds.</exception>
    public static byte[] Seal(RepoIdentities identities, ReadOnlySpan<byte> passphrase, KdfParameters kdf)
    {
        ArgumentNullException.ThrowIfNull(identities);
        if (passphrase.IsEmpty)
        {
            throw new ArgumentException("the passphrase is empty", nameof(passphrase));
        }
        if (!kdf.IsWithinBounds)
        {
            throw new ArgumentException($"KDF parameters out of bounds: {kdf}", nameof(kdf));
        }
        var header = KeyFileHeader.Create(kdf);
        var headerBytes = header.ToBytes();
        var plaintext = identities.ToByteArray();
        var file = new byte[headerBytes.Length + plaintext.Length + TagLength];
        headerBytes.CopyTo(file, 0);
        var key = DeriveKey(passphrase, header);
        try
        {
            Geralt.XChaCha20Poly1305.Encrypt(file.AsSpan(headerBytes.Length), plaintext, header.Nonce, key, headerBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(plaintext);
        }
        return file;
    }

    /// <exception cref="KeyFileException">
    /// too large, not a key file, a version or KDF parameters this code does not accept, or (one message for both,
    /// <see cref="KeyFileException.WrongPassphraseOrDamaged"/>) a wrong passphrase or a damaged or truncated file.
    /// </exception>
    public static RepoIdentities Open(ReadOnlySpan<byte> file, ReadOnlySpan<byte> passphrase)
    {
        if (file.Length > MaxLength)
        {
            throw new KeyFileException($"the file is larger than {MaxLength} bytes: not a dione key file");
        }
        var header = KeyFileHeader.Parse(file);
        var ciphertext = file[KeyFileHeader.Length..];
        if (ciphertext.Length < TagLength)
        {
            throw new KeyFileException(KeyFileException.WrongPassphraseOrDamaged);
        }
        var plaintext = new byte[ciphertext.Length - TagLength];
        var key = DeriveKey(passphrase, header);
        try
        {
            Geralt.XChaCha20Poly1305.Decrypt(plaintext, ciphertext, header.Nonce, key, file[..KeyFileHeader.Length]);
            return RepoIdentities.Parser.ParseFrom(plaintext);
        }
        catch (CryptographicException)
        {
            throw new KeyFileException(KeyFileException.WrongPassphraseOrDamaged);
        }
        catch (InvalidProtocolBufferException)
        {
            // Authentic, so written with the passphrase, yet not our protobuf: not made by dione.
            throw new KeyFileException("the key file opens but holds no dione identities");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static byte[] DeriveKey(ReadOnlySpan<byte> passphrase, KeyFileHeader header)
    {
        var key = new byte[KeyLength];
        Geralt.Argon2id.DeriveKey(key, passphrase, header.Salt, (int)header.Kdf.Iterations, header.Kdf.MemoryBytes);
        return key;
    }
}
