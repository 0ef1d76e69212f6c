using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Records;

namespace Dione.Libp2p.Tests.Records;

/// <summary>Signed peer records (RFC 0003) against go-libp2p's bytes, plus the checks a receiver must make.</summary>
public class PeerRecordTests
{
    private static readonly Multiaddress[] GoAddresses =
        [.. Enumerable.Range(0, 10).Select(port => Multiaddress.Parse($"/ip4/1.2.3.4/tcp/{port}"))];

    [Fact]
    public void Go_signed_peer_record_opens_and_decodes()
    {
        var record = PeerRecord.FromSignedEnvelope(Convert.FromHexString(GoPeerRecordVector.Envelope));

        Assert.Equal(GoPeerRecordVector.PeerId, record.PeerId.ToString());
        Assert.Equal(GoPeerRecordVector.Seq, record.Seq);
        Assert.Equal(GoAddresses, record.Addresses);
    }

    [Fact]
    public void Resealing_the_go_record_reproduces_its_bytes_exactly()
    {
        var key = PrivateKey.FromProtobuf(Convert.FromHexString(GoPeerRecordVector.PrivateKey));
        var record = new PeerRecord(PeerId.FromPublicKey(key.PublicKey), GoAddresses, GoPeerRecordVector.Seq);

        var envelope = record.ToSignedEnvelope(key);

        Assert.Equal(GoPeerRecordVector.Envelope, Convert.ToHexStringLower(envelope.ToBytes()));
    }

    [Fact]
    public void Opened_envelope_keeps_the_exact_bytes_and_fields()
    {
        var bytes = Convert.FromHexString(GoPeerRecordVector.Envelope);
        var key = PrivateKey.FromProtobuf(Convert.FromHexString(GoPeerRecordVector.PrivateKey));

        var envelope = SignedEnvelope.Open(bytes, PeerRecord.Domain);

        Assert.Equal(bytes, envelope.ToBytes());
        Assert.Equal(key.PublicKey, envelope.PublicKey);
        Assert.Equal([0x03, 0x01], envelope.PayloadType.ToArray());
        Assert.Equal(PeerRecord.PayloadType.ToArray(), envelope.PayloadType.ToArray());
        Assert.Equal(64, envelope.Signature.Length);
    }

    [Theory]
    [InlineData(KeyType.Ed25519)]
    [InlineData(KeyType.Secp256k1)]
    [InlineData(KeyType.Ecdsa)]
    [InlineData(KeyType.Rsa)]
    public void Record_round_trips_through_an_envelope_for_every_key_type(KeyType type)
    {
        var key = PrivateKey.Generate(type);
        var peerId = PeerId.FromPublicKey(key.PublicKey);
        var addresses = new[]
        {
            Multiaddress.Parse("/ip4/192.0.2.1/tcp/4001"),
            Multiaddress.Parse("/ip6/2001:db8::1/udp/4001/quic-v1"),
            Multiaddress.Parse("/dns4/example.com/tcp/443/wss/p2p/" + peerId),
        };
        var record = new PeerRecord(peerId, addresses, 42);

        var decoded = PeerRecord.FromSignedEnvelope(record.ToSignedEnvelope(key).ToBytes());

        Assert.Equal(peerId, decoded.PeerId);
        Assert.Equal(42UL, decoded.Seq);
        Assert.Equal(addresses, decoded.Addresses);
    }

    [Fact]
    public void Record_for_another_peer_cannot_be_signed()
    {
        var key = PrivateKey.Generate();
        var record = new PeerRecord(PeerId.FromPublicKey(PrivateKey.Generate().PublicKey), [], 1);

        Assert.Throws<ArgumentException>(() => record.ToSignedEnvelope(key));
    }

    [Fact]
    public void Envelope_signed_by_another_peer_is_refused()
    {
        var victim = PeerId.FromPublicKey(PrivateKey.Generate().PublicKey);
        var attacker = PrivateKey.Generate();
        var forged = new PeerRecord(victim, [Multiaddress.Parse("/ip4/6.6.6.6/tcp/1")], 7).ToProtobuf();

        var envelope = SignedEnvelope.Seal(attacker, PeerRecord.Domain, PeerRecord.PayloadType.Span, forged);

        Assert.Throws<FormatException>(() => PeerRecord.FromSignedEnvelope(envelope.ToBytes()));
    }

    [Fact]
    public void Envelope_with_another_payload_type_is_refused()
    {
        var key = PrivateKey.Generate();
        var record = new PeerRecord(PeerId.FromPublicKey(key.PublicKey), [], 1).ToProtobuf();

        var envelope = SignedEnvelope.Seal(key, PeerRecord.Domain, "/libp2p/routing-state-record"u8, record);

        Assert.Throws<FormatException>(() => PeerRecord.FromSignedEnvelope(envelope.ToBytes()));
    }

    [Fact]
    public void Envelope_sealed_for_another_domain_is_refused()
    {
        var key = PrivateKey.Generate();
        var record = new PeerRecord(PeerId.FromPublicKey(key.PublicKey), [], 1).ToProtobuf();

        var envelope = SignedEnvelope.Seal(key, "libp2p-routing-state", PeerRecord.PayloadType.Span, record);

        Assert.Throws<EnvelopeSignatureException>(() => PeerRecord.FromSignedEnvelope(envelope.ToBytes()));
    }

    [Fact]
    public void Undecodable_addresses_are_skipped_like_go_does()
    {
        var key = PrivateKey.Generate();
        var peerId = PeerId.FromPublicKey(key.PublicKey);
        var message = new Protos.PeerRecord { PeerId = Google.Protobuf.ByteString.CopyFrom(peerId.Bytes), Seq = 5 };
        byte[][] addresses = [Multiaddress.Parse("/ip4/1.2.3.4/tcp/1").ToBytes(), [], [0xbd, 0x03, 0x00], Multiaddress.Parse("/ip6/::1/tcp/2").ToBytes()];
        foreach (var address in addresses)
        {
            message.Addresses.Add(new Protos.PeerRecord.Types.AddressInfo { Multiaddr = Google.Protobuf.ByteString.CopyFrom(address) });
        }

        var envelope = SignedEnvelope.Seal(key, PeerRecord.Domain, PeerRecord.PayloadType.Span, Google.Protobuf.MessageExtensions.ToByteArray(message));
        var record = PeerRecord.FromSignedEnvelope(envelope.ToBytes());

        Assert.Equal(["/ip4/1.2.3.4/tcp/1", "/ip6/::1/tcp/2"], record.Addresses.Select(a => a.ToString()));
    }

    [Fact]
    public void Record_without_a_valid_peer_id_is_refused()
    {
        Assert.Throws<FormatException>(() => PeerRecord.FromProtobuf([]));
        Assert.Throws<FormatException>(() => PeerRecord.FromProtobuf([0x0a, 0x02, 0x12, 0x20]));
        Assert.Throws<FormatException>(() => PeerRecord.FromProtobuf([0x0a, 0x05]));
    }

    [Fact]
    public void Timestamp_sequence_is_unix_nanoseconds()
    {
        var clock = new FixedTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123));

        Assert.Equal(1_700_000_000_123_000_000UL, PeerRecord.TimestampSeq(clock));
        var before = PeerRecord.TimestampSeq();
        var record = new PeerRecord(PeerId.FromPublicKey(PrivateKey.Generate().PublicKey), []);
        Assert.InRange(record.Seq, before, PeerRecord.TimestampSeq());
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
