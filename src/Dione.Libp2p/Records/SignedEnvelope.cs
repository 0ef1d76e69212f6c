using System.Text;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats;
using Google.Protobuf;

namespace Dione.Libp2p.Records;

/// <summary>
/// A signed envelope (libp2p specs RFC 0002): a payload, its type hint, the signer's public key and a signature over
/// <c>varint(len(domain)) ‖ domain ‖ varint(len(payload_type)) ‖ payload_type ‖ varint(len(payload)) ‖ payload</c>.
/// The domain is never transmitted; the receiver supplies the one it expects.
/// </summary>
public sealed class SignedEnvelope
{
    /// <summary>Marshalled envelopes longer than this are refused.</summary>
    public const int MaxLength = 64 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _payloadType;
    private readonly byte[] _payload;
    private readonly byte[] _signature;
    private readonly byte[] _marshalled;

    private SignedEnvelope(PublicKey publicKey, byte[] payloadType, byte[] payload, byte[] signature, byte[] marshalled)
    {
        PublicKey = publicKey;
        _payloadType = payloadType;
        _payload = payload;
        _signature = signature;
        _marshalled = marshalled;
    }

    /// <summary>The key that signed the payload; the signer's peer id is <c>PeerId.FromPublicKey(PublicKey)</c>.</summary>
    public PublicKey PublicKey { get; }

    /// <summary>The payload type hint, usually a multicodec varint.</summary>
    public ReadOnlyMemory<byte> PayloadType => _payloadType;

    public ReadOnlyMemory<byte> Payload => _payload;

    public ReadOnlyMemory<byte> Signature => _signature;

    /// <summary>The marshalled envelope (for <see cref="Open"/> results, exactly the bytes that were opened).</summary>
    public byte[] ToBytes() => (byte[])_marshalled.Clone();

    /// <summary>Signs <paramref name="payload"/> for <paramref name="domain"/> and wraps it in an envelope.</summary>
    public static SignedEnvelope Seal(PrivateKey key, string domain, ReadOnlySpan<byte> payloadType, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(domain);
        var signature = key.Sign(SigningBuffer(domain, payloadType, payload));
        var message = new Protos.Envelope
        {
            PublicKey = Protos.PublicKey.Parser.ParseFrom(key.PublicKey.ToProtobuf()),
            PayloadType = ByteString.CopyFrom(payloadType),
            Payload = ByteString.CopyFrom(payload),
            Signature = ByteString.CopyFrom(signature),
        };
        var marshalled = message.ToByteArray();
        if (marshalled.Length > MaxLength)
        {
            throw new ArgumentException($"sealed envelope would exceed {MaxLength} bytes", nameof(payload));
        }
        return new SignedEnvelope(key.PublicKey, payloadType.ToArray(), payload.ToArray(), signature, marshalled);
    }

    /// <summary>Parses an envelope and verifies its signature for <paramref name="expectedDomain"/>.</summary>
    /// <exception cref="FormatException">malformed, too long, or carrying an invalid or unsupported public key.</exception>
    /// <exception cref="EnvelopeSignatureException">the signature does not verify for this domain.</exception>
    public static SignedEnvelope Open(ReadOnlySpan<byte> bytes, string expectedDomain)
    {
        ArgumentNullException.ThrowIfNull(expectedDomain);
        if (bytes.Length > MaxLength)
        {
            throw new FormatException("signed envelope too long");
        }
        Protos.Envelope message;
        try
        {
            message = Protos.Envelope.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException("malformed signed envelope", e);
        }
        if (message.PublicKey is null || !message.PublicKey.HasType || !message.PublicKey.HasData)
        {
            throw new FormatException("signed envelope lacks a public key");
        }
        PublicKey publicKey;
        try
        {
            publicKey = PublicKey.Create((KeyType)message.PublicKey.Type, message.PublicKey.Data.Span);
        }
        catch (NotSupportedException e)
        {
            throw new FormatException("signed envelope uses an unsupported key type", e);
        }
        var payloadType = message.PayloadType.ToByteArray();
        var payload = message.Payload.ToByteArray();
        var signature = message.Signature.ToByteArray();
        if (!publicKey.Verify(SigningBuffer(expectedDomain, payloadType, payload), signature))
        {
            throw new EnvelopeSignatureException();
        }
        return new SignedEnvelope(publicKey, payloadType, payload, signature, bytes.ToArray());
    }

    /// <summary>The bytes that are signed: each of domain, payload type and payload prefixed by its uvarint length.</summary>
    internal static byte[] SigningBuffer(string domain, ReadOnlySpan<byte> payloadType, ReadOnlySpan<byte> payload)
    {
        var domainBytes = StrictUtf8.GetBytes(domain);
        var buffer = new byte[
            Varint.SizeOf((ulong)domainBytes.Length) + domainBytes.Length
            + Varint.SizeOf((ulong)payloadType.Length) + payloadType.Length
            + Varint.SizeOf((ulong)payload.Length) + payload.Length];
        var span = buffer.AsSpan();
        Append(ref span, domainBytes);
        Append(ref span, payloadType);
        Append(ref span, payload);
        return buffer;

        static void Append(ref Span<byte> destination, ReadOnlySpan<byte> field)
        {
            var written = Varint.Write(destination, (ulong)field.Length);
            field.CopyTo(destination[written..]);
            destination = destination[(written + field.Length)..];
        }
    }
}
