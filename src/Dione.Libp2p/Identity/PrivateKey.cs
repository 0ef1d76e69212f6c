using Google.Protobuf;

namespace Dione.Libp2p.Identity;

/// <summary>A libp2p private key: signs, and knows its public key.</summary>
public abstract class PrivateKey
{
    public abstract KeyType Type { get; }

    public abstract PublicKey PublicKey { get; }

    /// <summary>The key's bytes as carried in the protobuf <c>Data</c> field.</summary>
    protected abstract byte[] ExportData();

    public abstract byte[] Sign(ReadOnlySpan<byte> data);

    public byte[] ToProtobuf() => new Protos.PrivateKey
    {
        Type = (Protos.KeyType)Type,
        Data = ByteString.CopyFrom(ExportData()),
    }.ToByteArray();

    public static PrivateKey FromProtobuf(ReadOnlySpan<byte> encoded)
    {
        Protos.PrivateKey message;
        try
        {
            message = Protos.PrivateKey.Parser.ParseFrom(encoded);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException("malformed private key protobuf", e);
        }
        if (!message.HasType || !message.HasData)
        {
            throw new FormatException("private key protobuf lacks Type or Data");
        }
        return (KeyType)message.Type switch
        {
            KeyType.Ed25519 => Ed25519PrivateKey.FromData(message.Data.Span),
            var other => KeyCodecs.CreatePrivateKey(other, message.Data.Span),
        };
    }

    public static PrivateKey Generate(KeyType type = KeyType.Ed25519) => type switch
    {
        KeyType.Ed25519 => Ed25519PrivateKey.Generate(),
        var other => KeyCodecs.GeneratePrivateKey(other),
    };
}
