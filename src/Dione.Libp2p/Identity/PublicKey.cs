using Google.Protobuf;

namespace Dione.Libp2p.Identity;

/// <summary>A libp2p public key: verifies signatures and has a canonical protobuf encoding.</summary>
public abstract class PublicKey : IEquatable<PublicKey>
{
    /// <summary>Encoded keys longer than this are refused (an 8192-bit RSA key in PKIX form is about 1.1 KB).</summary>
    public const int MaxEncodedLength = 2048;

    public abstract KeyType Type { get; }

    /// <summary>The key's bytes as carried in the protobuf <c>Data</c> field.</summary>
    public abstract ReadOnlyMemory<byte> Data { get; }

    public abstract bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);

    /// <summary>The deterministic protobuf encoding (the bytes a peer id is derived from).</summary>
    public byte[] ToProtobuf() => new Protos.PublicKey
    {
        Type = (Protos.KeyType)Type,
        Data = ByteString.CopyFrom(Data.Span),
    }.ToByteArray();

    /// <summary>Decodes the libp2p <c>PublicKey</c> protobuf (specs/peer-ids).</summary>
    /// <exception cref="FormatException">malformed protobuf, missing fields, too long, or malformed key data.</exception>
    /// <exception cref="NotSupportedException">an unknown key type.</exception>
    public static PublicKey FromProtobuf(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxEncodedLength)
        {
            throw new FormatException("public key encoding too long");
        }
        Protos.PublicKey message;
        try
        {
            message = Protos.PublicKey.Parser.ParseFrom(encoded);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException("malformed public key protobuf", e);
        }
        if (!message.HasType || !message.HasData)
        {
            throw new FormatException("public key protobuf lacks Type or Data");
        }
        return Create((KeyType)message.Type, message.Data.Span);
    }

    /// <summary>The key of <paramref name="type"/> whose protobuf <c>Data</c> field is <paramref name="data"/>.</summary>
    /// <exception cref="FormatException">malformed key data.</exception>
    /// <exception cref="NotSupportedException">an unknown key type.</exception>
    public static PublicKey Create(KeyType type, ReadOnlySpan<byte> data) => KeyCodecs.CreatePublicKey(type, data);

    public bool Equals(PublicKey? other) =>
        other is not null && other.Type == Type && other.Data.Span.SequenceEqual(Data.Span);

    public override bool Equals(object? obj) => Equals(obj as PublicKey);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type);
        hash.AddBytes(Data.Span);
        return hash.ToHashCode();
    }
}
