using System.Security.Cryptography;

namespace Dione.Messaging.Ratchet;

/// <summary>
/// ENCRYPT/DECRYPT of a padded body: ChaCha20-Poly1305 with the key and nonce expanded from the message key
/// (<see cref="RatchetKdf.ExpandMessageKey"/>), so each key encrypts exactly one body. Output: ciphertext ‖ 16-byte tag.
/// </summary>
internal static class BodyCipher
{
    public const int TagLength = 16;

    public static byte[] Encrypt(MessageKeyMaterial keys, ReadOnlySpan<byte> padded, ReadOnlySpan<byte> associatedData)
    {
        var output = new byte[padded.Length + TagLength];
        using var aead = new ChaCha20Poly1305(keys.BodyKey);
        aead.Encrypt(keys.BodyNonce, padded, output.AsSpan(0, padded.Length), output.AsSpan(padded.Length), associatedData);
        return output;
    }

    /// <exception cref="MessageAuthenticationException">the tag does not verify.</exception>
    public static byte[] Decrypt(MessageKeyMaterial keys, ReadOnlySpan<byte> body, ReadOnlySpan<byte> associatedData)
    {
        if (body.Length < TagLength)
        {
            throw new MessageAuthenticationException("the body is shorter than its tag");
        }
        var padded = new byte[body.Length - TagLength];
        using var aead = new ChaCha20Poly1305(keys.BodyKey);
        try
        {
            aead.Decrypt(keys.BodyNonce, body[..padded.Length], body[padded.Length..], padded, associatedData);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new MessageAuthenticationException("the body failed authentication", e);
        }
        return padded;
    }
}
