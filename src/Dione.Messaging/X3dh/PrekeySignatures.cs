using System.Buffers.Binary;
using System.Text;
using Dione.Messaging.Identity;

namespace Dione.Messaging.X3dh;

/// <summary>
/// The domain-separated byte strings an identity signs for its prekeys. Each starts with its own ASCII label, so a
/// signature over one kind can never be taken for the other (or for anything else Dione signs with the identity).
/// </summary>
internal static class PrekeySignatures
{
    public const string SignedPrekeyLabel = "Dione_SignedPrekey_v1";
    public const string OneTimePrekeyLabel = "Dione_OneTimePrekey_v1";

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

    public static byte[] SignSignedPrekey(DioneIdentity identity, uint id, ulong createdUnixSeconds, ReadOnlySpan<byte> publicKey) =>
        identity.Sign(SignedPrekeyMessage(id, createdUnixSeconds, publicKey));

    public static byte[] SignOneTimePrekey(DioneIdentity identity, uint id, ReadOnlySpan<byte> publicKey) =>
        identity.Sign(OneTimePrekeyMessage(id, publicKey));
}
