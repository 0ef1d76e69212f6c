using System.Security.Cryptography;
using Dione.Messaging.Protos;
using Google.Protobuf;

namespace Dione.Messaging.Ratchet;

/// <summary>
/// HENCRYPT/HDECRYPT: the <see cref="RatchetHeader"/> protobuf, padded (ISO/IEC 7816-4: 0x80 then zeros) to
/// 64 bytes so every header has the same size, then ChaCha20-Poly1305 under the chain's header key with the first
/// 12 bytes of the message's mailbox address as nonce (unique per header key, since addresses never repeat) and no AD.
/// Output: 64-byte ciphertext ‖ 16-byte tag.
/// </summary>
internal static class HeaderCipher
{
    public const int PlaintextLength = 64;
    public const int TagLength = 16;
    public const int EncryptedLength = PlaintextLength + TagLength;
    private const int NonceLength = 12;
    private const byte PaddingMarker = 0x80;

    public static byte[] Encrypt(ReadOnlySpan<byte> headerKey, ReadOnlySpan<byte> address, RatchetHeader header)
    {
        var plaintext = new byte[PlaintextLength];
        var size = header.CalculateSize();
        if (size >= PlaintextLength)
        {
            throw new InvalidOperationException("a ratchet header does not fit its fixed size");
        }
        header.WriteTo(plaintext.AsSpan(0, size));
        plaintext[size] = PaddingMarker;
        var output = new byte[EncryptedLength];
        using var aead = new ChaCha20Poly1305(headerKey);
        aead.Encrypt(address[..NonceLength], plaintext, output.AsSpan(0, PlaintextLength), output.AsSpan(PlaintextLength));
        return output;
    }

    /// <summary>The header, or null when the tag does not verify under this key or the plaintext is not a padded header.</summary>
    public static RatchetHeader? TryDecrypt(ReadOnlySpan<byte> headerKey, ReadOnlySpan<byte> address, ReadOnlySpan<byte> encrypted)
    {
        if (encrypted.Length != EncryptedLength)
        {
            return null;
        }
        Span<byte> plaintext = stackalloc byte[PlaintextLength];
        using var aead = new ChaCha20Poly1305(headerKey);
        try
        {
            aead.Decrypt(address[..NonceLength], encrypted[..PlaintextLength], encrypted[PlaintextLength..], plaintext);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        var end = plaintext.LastIndexOfAnyExcept((byte)0);
        if (end < 0 || plaintext[end] != PaddingMarker)
        {
            return null;
        }
        try
        {
            return RatchetHeader.Parser.ParseFrom(plaintext[..end]);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
