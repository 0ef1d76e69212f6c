using Google.Protobuf;

namespace Dione.Libp2p.Identity;

/// <summary>A libp2p private key: signs, and knows its public key.</summary>
public abstract class PrivateKey
{
    /// <summary>Encoded keys longer than this are refused (an 8192-bit RSA key in PKCS #1 form is about 4.7 KB).</summary>
    public const int MaxEncodedLength = 8192;

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

    /// <summary>Decodes the libp2p <c>PrivateKey</c> protobuf (specs/peer-ids), the form keys are stored in.</summary>
    /// <exception cref="FormatException">malformed protobuf, missing fields, too long, or malformed key data.</exception>
    /// <exception cref="NotSupportedException">an unknown key type.</exception>
    public static PrivateKey FromProtobuf(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxEncodedLength)
        {
            throw new FormatException("private key encoding too long");
        }
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
        return KeyCodecs.CreatePrivateKey((KeyType)message.Type, message.Data.Span);
    }

    /// <summary>A new key: Ed25519 by default, secp256k1, ECDSA P-256, or RSA 2048.</summary>
    /// <exception cref="NotSupportedException">an unknown key type.</exception>
    public static PrivateKey Generate(KeyType type = KeyType.Ed25519) => KeyCodecs.GeneratePrivateKey(type);
}
