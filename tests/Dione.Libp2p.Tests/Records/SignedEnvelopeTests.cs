using System.Text;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats;
using Dione.Libp2p.Records;

namespace Dione.Libp2p.Tests.Records;

/// <summary>Signed envelopes (RFC 0002): the signed buffer layout, domain separation and tamper detection.</summary>
public class SignedEnvelopeTests
{
    private const string Domain = "libp2p-testing";
    private static readonly byte[] PayloadType = Encoding.UTF8.GetBytes("/libp2p/testdata");
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("test-data");

    [Fact]
    public void Signature_covers_varint_length_prefixed_domain_type_and_payload()
    {
        var key = Ed25519PrivateKey.FromSeed(new byte[32]);

        var envelope = SignedEnvelope.Seal(key, Domain, PayloadType, Payload);

        byte[] expectedBuffer =
        [
            (byte)Domain.Length, .. Encoding.UTF8.GetBytes(Domain),
            (byte)PayloadType.Length, .. PayloadType,
            (byte)Payload.Length, .. Payload,
        ];
        Assert.Equal(expectedBuffer, SignedEnvelope.SigningBuffer(Domain, PayloadType, Payload));
        Assert.Equal(key.Sign(expectedBuffer), envelope.Signature.ToArray());
        Assert.True(key.PublicKey.Verify(expectedBuffer, envelope.Signature.Span));
    }

    [Fact]
    public void Long_fields_use_multi_byte_varint_lengths()
    {
        var payload = new byte[300];

        var buffer = SignedEnvelope.SigningBuffer("d", [], payload);

        Assert.Equal([0x01, (byte)'d', 0x00, 0xac, 0x02], buffer[..5]);
        Assert.Equal(5 + 300, buffer.Length);
    }

    [Fact]
    public void Sealed_envelope_opens_with_its_domain()
    {
        var key = PrivateKey.Generate();

        var sealedBytes = SignedEnvelope.Seal(key, Domain, PayloadType, Payload).ToBytes();
        var opened = SignedEnvelope.Open(sealedBytes, Domain);

        Assert.Equal(key.PublicKey, opened.PublicKey);
        Assert.Equal(PayloadType, opened.PayloadType.ToArray());
        Assert.Equal(Payload, opened.Payload.ToArray());
        Assert.Equal(sealedBytes, opened.ToBytes());
    }

    [Fact]
    public void Envelope_with_empty_payload_type_and_payload_is_valid()
    {
        var key = PrivateKey.Generate(KeyType.Secp256k1);

        var opened = SignedEnvelope.Open(SignedEnvelope.Seal(key, "", [], []).ToBytes(), "");

        Assert.True(opened.Payload.IsEmpty);
        Assert.True(opened.PayloadType.IsEmpty);
    }

    [Theory]
    [InlineData("/bad-domain")]
    [InlineData("libp2p-testinG")]
    [InlineData("")]
    public void Opening_with_another_domain_fails(string domain)
    {
        var bytes = SignedEnvelope.Seal(PrivateKey.Generate(), Domain, PayloadType, Payload).ToBytes();

        Assert.Throws<EnvelopeSignatureException>(() => SignedEnvelope.Open(bytes, domain));
    }

    [Fact]
    public void Any_changed_field_breaks_the_signature()
    {
        var key = PrivateKey.Generate();
        var envelope = SignedEnvelope.Seal(key, Domain, PayloadType, Payload);
        var signature = envelope.Signature.ToArray();

        byte[] Build(byte[] type, byte[] payload, byte[] sig) => Google.Protobuf.MessageExtensions.ToByteArray(new Protos.Envelope
        {
            PublicKey = Protos.PublicKey.Parser.ParseFrom(key.PublicKey.ToProtobuf()),
            PayloadType = Google.Protobuf.ByteString.CopyFrom(type),
            Payload = Google.Protobuf.ByteString.CopyFrom(payload),
            Signature = Google.Protobuf.ByteString.CopyFrom(sig),
        });

        Assert.Equal(envelope.ToBytes(), Build(PayloadType, Payload, signature));
        Assert.Throws<EnvelopeSignatureException>(() => SignedEnvelope.Open(Build(PayloadType, [.. Payload, 0], signature), Domain));
        Assert.Throws<EnvelopeSignatureException>(() => SignedEnvelope.Open(Build([.. PayloadType[1..]], Payload, signature), Domain));
        Assert.Throws<EnvelopeSignatureException>(() => SignedEnvelope.Open(Build(PayloadType, Payload, [.. signature[..^1], (byte)(signature[^1] ^ 1)]), Domain));
        Assert.Throws<EnvelopeSignatureException>(() => SignedEnvelope.Open(Build(PayloadType, Payload, []), Domain));
        // Moving bytes between type and payload keeps the concatenation but not the length prefixes.
        Assert.Throws<EnvelopeSignatureException>(() => SignedEnvelope.Open(Build([.. PayloadType, Payload[0]], Payload[1..], signature), Domain));
    }

    [Fact]
    public void Envelope_with_another_signers_key_fails()
    {
        var envelope = SignedEnvelope.Seal(PrivateKey.Generate(), Domain, PayloadType, Payload);
        var message = Protos.Envelope.Parser.ParseFrom(envelope.ToBytes());
        message.PublicKey = Protos.PublicKey.Parser.ParseFrom(PrivateKey.Generate().PublicKey.ToProtobuf());

        Assert.Throws<EnvelopeSignatureException>(() => SignedEnvelope.Open(Google.Protobuf.MessageExtensions.ToByteArray(message), Domain));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0a00")]
    [InlineData("0a020801")]
    [InlineData("0a05080912010012020301")]
    [InlineData("ff")]
    [InlineData("0a")]
    public void Malformed_envelope_is_a_format_error(string hex) =>
        Assert.Throws<FormatException>(() => SignedEnvelope.Open(Convert.FromHexString(hex), Domain));

    [Fact]
    public void Over_long_envelope_is_refused() =>
        Assert.Throws<FormatException>(() => SignedEnvelope.Open(new byte[SignedEnvelope.MaxLength + 1], Domain));

    [Fact]
    public void Peer_record_payload_type_is_the_raw_code_bytes_not_its_varint()
    {
        // go-libp2p and js-libp2p send 03 01 (the code 0x0301 big-endian); its uvarint would be 81 06.
        Assert.Equal([0x03, 0x01], PeerRecord.PayloadType.ToArray());
        Assert.Equal([0x81, 0x06], Varint.Encode(Multicodec.Libp2pPeerRecord));
    }
}
