using System.Security.Cryptography;
using System.Text;
using Dione.Messaging.Identity;

namespace Dione.Messaging.Intro;

/// <summary>
/// Seals X3DH's initial data so that a store node that knows the recipient's public keys learns nothing about the sender.
/// Sealed intro = EK_A (32, clear) || ChaCha20-Poly1305(key, nonce, plaintext = encoded X3dhInitialData, AD = empty),
/// where key (32) || nonce (12) = HKDF-SHA-256(IKM = DH(EK_A, IK_B) || DH(EK_A, SPK_B), salt = 32 zero bytes,
/// info = "Dione_Intro_Seal_v1" || EK_A || IK_B (Ed25519, 32) || SPK_B (32), 44 bytes).
/// EK_A is X3DH's own ephemeral key, so the two DH values are X3DH's DH2 and DH3 under a different label.
/// </summary>
public static class IntroSeal
{
    public const string Info = "Dione_Intro_Seal_v1";

    /// <summary>Bytes a seal adds to the plaintext: EK_A and the Poly1305 tag.</summary>
    public const int Overhead = KeyLength + TagLength;

    /// <summary>Largest plaintext sealed or opened (an encoded initial data is about 110 bytes).</summary>
    public const int MaxPlaintextBytes = 512;

    /// <summary>Largest sealed intro accepted.</summary>
    public const int MaxSealedBytes = MaxPlaintextBytes + Overhead;

    private const int KeyLength = 32;
    private const int TagLength = 16;
    private const int NonceLength = 12;

    internal static byte[] Seal(
        ReadOnlySpan<byte> dhIdentity, ReadOnlySpan<byte> dhSignedPrekey, ReadOnlySpan<byte> ephemeralPublicKey,
        IdentityKey recipient, ReadOnlySpan<byte> signedPrekeyPublic, ReadOnlySpan<byte> plaintext)
    {
        if (plaintext.Length > MaxPlaintextBytes)
        {
            throw new ArgumentException($"an intro plaintext is at most {MaxPlaintextBytes} bytes", nameof(plaintext));
        }
        var keyAndNonce = DeriveKeyAndNonce(dhIdentity, dhSignedPrekey, ephemeralPublicKey, recipient, signedPrekeyPublic);
        try
        {
            var sealedIntro = new byte[KeyLength + plaintext.Length + TagLength];
            ephemeralPublicKey.CopyTo(sealedIntro);
            using var aead = new ChaCha20Poly1305(keyAndNonce.AsSpan(0, KeyLength));
            aead.Encrypt(
                keyAndNonce.AsSpan(KeyLength, NonceLength), plaintext,
                sealedIntro.AsSpan(KeyLength, plaintext.Length), sealedIntro.AsSpan(KeyLength + plaintext.Length, TagLength));
            return sealedIntro;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyAndNonce);
        }
    }

    /// <summary>The plaintext, or null when the tag does not verify under these keys.</summary>
    internal static byte[]? TryOpen(
        ReadOnlySpan<byte> dhIdentity, ReadOnlySpan<byte> dhSignedPrekey, IdentityKey recipient, ReadOnlySpan<byte> signedPrekeyPublic,
        ReadOnlySpan<byte> sealedIntro)
    {
        if (sealedIntro.Length < Overhead || sealedIntro.Length > MaxSealedBytes)
        {
            return null;
        }
        var ephemeralPublicKey = sealedIntro[..KeyLength];
        var ciphertext = sealedIntro[KeyLength..^TagLength];
        var keyAndNonce = DeriveKeyAndNonce(dhIdentity, dhSignedPrekey, ephemeralPublicKey, recipient, signedPrekeyPublic);
        try
        {
            var plaintext = new byte[ciphertext.Length];
            using var aead = new ChaCha20Poly1305(keyAndNonce.AsSpan(0, KeyLength));
            aead.Decrypt(keyAndNonce.AsSpan(KeyLength, NonceLength), ciphertext, sealedIntro[^TagLength..], plaintext);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyAndNonce);
        }
    }

    internal static byte[] DeriveKeyAndNonce(
        ReadOnlySpan<byte> dhIdentity, ReadOnlySpan<byte> dhSignedPrekey, ReadOnlySpan<byte> ephemeralPublicKey,
        IdentityKey recipient, ReadOnlySpan<byte> signedPrekeyPublic)
    {
        byte[] ikm = [.. dhIdentity, .. dhSignedPrekey];
        byte[] info = [.. Encoding.ASCII.GetBytes(Info), .. ephemeralPublicKey, .. recipient.Ed25519PublicKey, .. signedPrekeyPublic];
        var output = new byte[KeyLength + NonceLength];
        try
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, output, stackalloc byte[32], info);
            return output;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm);
        }
    }
}
