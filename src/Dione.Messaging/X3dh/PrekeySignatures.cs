using System.Buffers.Binary;
using System.Text;
using Dione.Messaging.Identity;
using Dione.Messaging.Protos;

namespace Dione.Messaging.X3dh;

/// <summary>
/// The domain-separated byte strings an identity signs for its prekeys and their publications. Each starts with its own ASCII label, so a
/// signature over one kind can never be taken for the other (or for anything else Dione signs with the identity).
/// </summary>
internal static class PrekeySignatures
{
    public const string SignedPrekeyLabel = "Dione_SignedPrekey_v1";
    public const string OneTimePrekeyLabel = "Dione_OneTimePrekey_v1";
    public const string PublicationLabel = "Dione_PrekeyPublication_v2";

    /// <summary>"Dione_SignedPrekey_v1" || id (u32 BE) || created (u64 BE, Unix seconds) || X25519 public key (32).</summary>
    public static byte[] SignedPrekeyMessage(uint id, ulong createdUnixSeconds, ReadOnlySpan<byte> publicKey)
    {
        var label = Encoding.ASCII.GetBytes(SignedPrekeyLabel);
        var message = new byte[label.Length + 4 + 8 + publicKey.Length];
        label.CopyTo(message, 0);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(label.Length), id);
        BinaryPrimitives.WriteUInt64BigEndian(message.AsSpan(label.Length + 4), createdUnixSeconds);
        publicKey.CopyTo(message.AsSpan(label.Length + 12));
        return message;
    }

    /// <summary>"Dione_OneTimePrekey_v1" || id (u32 BE) || X25519 public key (32).</summary>
    public static byte[] OneTimePrekeyMessage(uint id, ReadOnlySpan<byte> publicKey)
    {
        var label = Encoding.ASCII.GetBytes(OneTimePrekeyLabel);
        var message = new byte[label.Length + 4 + publicKey.Length];
        label.CopyTo(message, 0);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(label.Length), id);
        publicKey.CopyTo(message.AsSpan(label.Length + 4));
        return message;
    }

    /// <summary>
    /// "Dione_PrekeyPublication_v2" || identity (32) || period (u64 BE) || signed prekey id (u32 BE) || created (u64 BE)
    /// || SPK public (32) || count (u32 BE) || per one-time prekey in order: id (u32 BE) || OPK public (32).
    /// </summary>
    public static byte[] PublicationMessage(PrekeyPublication publication)
    {
        var signed = publication.SignedPrekey;
        var label = Encoding.ASCII.GetBytes(PublicationLabel);
        using var message = new MemoryStream();
        message.Write(label);
        message.Write(publication.IdentityKey.Span);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(number, publication.Period);
        message.Write(number);
        BinaryPrimitives.WriteUInt32BigEndian(number, signed.Id);
        message.Write(number[..4]);
        BinaryPrimitives.WriteUInt64BigEndian(number, signed.CreatedUnixSeconds);
        message.Write(number);
        message.Write(signed.PublicKey.Span);
        BinaryPrimitives.WriteUInt32BigEndian(number, (uint)publication.OneTimePrekeys.Count);
        message.Write(number[..4]);
        foreach (var oneTime in publication.OneTimePrekeys)
        {
            BinaryPrimitives.WriteUInt32BigEndian(number, oneTime.Id);
            message.Write(number[..4]);
            message.Write(oneTime.PublicKey.Span);
        }
        return message.ToArray();
    }

    public static byte[] SignSignedPrekey(DioneIdentity identity, uint id, ulong createdUnixSeconds, ReadOnlySpan<byte> publicKey) =>
        identity.Sign(SignedPrekeyMessage(id, createdUnixSeconds, publicKey));

    public static byte[] SignOneTimePrekey(DioneIdentity identity, uint id, ReadOnlySpan<byte> publicKey) =>
        identity.Sign(OneTimePrekeyMessage(id, publicKey));
}
