using Dione.Messaging.Crypto;
using Dione.Messaging.Protos;
using Dione.Primitives.Crypto;

namespace Dione.Messaging.X3dh;

/// <summary>A one-time prekey with its private key (X3DH's OPK_B). Deleted from the store the moment a session uses it.</summary>
public sealed class OneTimePrekey
{
    private readonly byte[] _signature;

    internal OneTimePrekey(uint id, X25519KeyPair keyPair, byte[] signature)
    {
        Id = id;
        KeyPair = keyPair;
        _signature = signature;
    }

    public uint Id { get; }

    public X25519KeyPair KeyPair { get; }

    /// <summary>The identity's signature over the domain-separated encoding of id and public key.</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>The form published in bundles.</summary>
    public OneTimePrekeyPublic ToPublic() => new()
    {
        Id = Id,
        PublicKey = Google.Protobuf.ByteString.CopyFrom(KeyPair.PublicKey),
        Signature = Google.Protobuf.ByteString.CopyFrom(_signature),
    };
}
