using Dione.Messaging.Crypto;
using Dione.Messaging.Protos;
using Dione.Primitives.Crypto;

namespace Dione.Messaging.X3dh;

/// <summary>
/// One of the recipient's signed prekeys with its private key (X3DH's SPK_B). The current one is published; replaced ones
/// stay for a grace period so that initial messages made from an older bundle can still be answered.
/// It also remembers the ephemeral keys of sessions accepted with it and no one-time prekey, to refuse their replay.
/// </summary>
public sealed class SignedPrekey
{
    private readonly byte[] _signature;
    private readonly HashSet<string> _seenEphemeralKeys = new(StringComparer.Ordinal);

    internal SignedPrekey(uint id, X25519KeyPair keyPair, DateTimeOffset createdAt, byte[] signature)
    {
        Id = id;
        KeyPair = keyPair;
        CreatedAt = createdAt;
        _signature = signature;
    }

    public uint Id { get; }

    /// <summary>The X25519 key pair; after X3DH it is also the responder's first Double Ratchet key pair.</summary>
    public X25519KeyPair KeyPair { get; }

    /// <summary>When it was made, to the second (the signed value).</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When it stopped being the published one; null while it is current.</summary>
    public DateTimeOffset? RetiredAt { get; internal set; }

    /// <summary>The identity's signature over the domain-separated encoding of id, time and public key.</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>How many no-one-time-prekey sessions it has accepted (and so remembers).</summary>
    public int RememberedEphemeralKeyCount => _seenEphemeralKeys.Count;

    internal IEnumerable<string> SeenEphemeralKeys => _seenEphemeralKeys;

    internal bool HasSeen(ReadOnlySpan<byte> ephemeralKey) => _seenEphemeralKeys.Contains(Convert.ToHexString(ephemeralKey));

    internal bool Remember(ReadOnlySpan<byte> ephemeralKey) => _seenEphemeralKeys.Add(Convert.ToHexString(ephemeralKey));

    /// <summary>The form published in bundles.</summary>
    public SignedPrekeyPublic ToPublic() => new()
    {
        Id = Id,
        PublicKey = Google.Protobuf.ByteString.CopyFrom(KeyPair.PublicKey),
        CreatedUnixSeconds = (ulong)CreatedAt.ToUnixTimeSeconds(),
        Signature = Google.Protobuf.ByteString.CopyFrom(_signature),
    };
}
