using System.Text;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Noise;
using Dione.Libp2p.Tests.TestSupport;
using Google.Protobuf;

namespace Dione.Libp2p.Tests.Noise;

public class NoiseHandshakePayloadCodecTests
{
    private static readonly PrivateKey Identity = Ed25519PrivateKey.FromSeed(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private static readonly byte[] StaticKey = Enumerable.Range(200, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void Signed_data_is_the_prefix_then_the_static_key()
    {
        Assert.Equal([.. "noise-libp2p-static-key:"u8, .. StaticKey], NoiseHandshakePayloadCodec.SignedData(StaticKey));
    }

    [Fact]
    public void Payload_has_the_spec_field_numbers_and_round_trips()
    {
        var payload = NoiseHandshakePayloadCodec.Create(Identity, StaticKey, ["/yamux/1.0.0"]);
        var keyBytes = Identity.PublicKey.ToProtobuf();
        var signature = Identity.Sign(NoiseHandshakePayloadCodec.SignedData(StaticKey));
        // Ed25519 signatures are deterministic, so the whole encoding is fixed:
        // field 1 (identity_key), field 2 (identity_sig), field 4 (extensions { field 2: stream_muxers }).
        var muxer = Encoding.ASCII.GetBytes("/yamux/1.0.0");
        byte[] expected =
        [
            0x0a, (byte)keyBytes.Length, .. keyBytes,
            0x12, (byte)signature.Length, .. signature,
            0x22, (byte)(muxer.Length + 2), 0x12, (byte)muxer.Length, .. muxer,
        ];
        Assert.Equal(expected, payload);

        var remote = NoiseHandshakePayloadCodec.Authenticate(payload, StaticKey, PeerId.FromPublicKey(Identity.PublicKey));
        Assert.Equal(Identity.PublicKey, remote.Key);
        Assert.Equal(PeerId.FromPublicKey(Identity.PublicKey), remote.PeerId);
        Assert.Equal(["/yamux/1.0.0"], remote.StreamMuxers);
    }

    [Fact]
    public void Payload_without_muxers_has_no_extensions()
    {
        var payload = Protos.NoiseHandshakePayload.Parser.ParseFrom(NoiseHandshakePayloadCodec.Create(Identity, StaticKey, []));
        Assert.True(payload.HasIdentityKey && payload.HasIdentitySig);
        Assert.Null(payload.Extensions);
    }

    [Fact]
    public void Signature_over_another_static_key_is_refused()
    {
        var payload = NoiseHandshakePayloadCodec.Create(Identity, StaticKey, []);
        var otherStatic = (byte[])StaticKey.Clone();
        otherStatic[0] ^= 1;
        Assert.Throws<NoiseHandshakeException>(() => NoiseHandshakePayloadCodec.Authenticate(payload, otherStatic, null));
    }

    [Fact]
    public void Unexpected_peer_is_refused()
    {
        var payload = NoiseHandshakePayloadCodec.Create(Identity, StaticKey, []);
        var other = PeerId.FromPublicKey(PrivateKey.Generate(KeyType.Ed25519).PublicKey);
        Assert.Throws<NoiseHandshakeException>(() => NoiseHandshakePayloadCodec.Authenticate(payload, StaticKey, other));
    }

    [Fact]
    public void Other_key_types_and_broken_keys_are_handshake_failures()
    {
        var signature = ByteString.CopyFrom(new byte[64]);
        foreach (var key in new[]
        {
            new Protos.PublicKey { Type = Protos.KeyType.Rsa, Data = ByteString.CopyFrom(1, 2, 3) }.ToByteString(),
            new Protos.PublicKey { Type = Protos.KeyType.Ecdsa, Data = ByteString.CopyFrom(4) }.ToByteString(),
            new Protos.PublicKey { Type = Protos.KeyType.Ed25519, Data = ByteString.CopyFrom(new byte[31]) }.ToByteString(),
            ByteString.CopyFrom(0x08),
        })
        {
            var payload = new Protos.NoiseHandshakePayload { IdentityKey = key, IdentitySig = signature }.ToByteArray();
            Assert.Throws<NoiseHandshakeException>(() => NoiseHandshakePayloadCodec.Authenticate(payload, StaticKey, null));
        }
    }

    [Fact]
    public void More_than_100_offered_muxers_are_ignored()
    {
        var many = Enumerable.Range(0, 101).Select(i => $"/m/{i}").ToArray();
        var payload = NoiseHandshakePayloadCodec.Create(Identity, StaticKey, many);
        Assert.Empty(NoiseHandshakePayloadCodec.Decode(payload).StreamMuxers);
        var hundred = NoiseHandshakePayloadCodec.Create(Identity, StaticKey, many[..100]);
        Assert.Equal(100, NoiseHandshakePayloadCodec.Decode(hundred).StreamMuxers.Count);
    }

    [Fact]
    public async Task Oversized_muxer_list_is_refused_before_anything_is_sent()
    {
        var transport = new ScriptedDuplexStream();
        var huge = Enumerable.Range(0, 100).Select(i => new string('m', 700) + i).ToArray();
        await Assert.ThrowsAsync<ArgumentException>(() => NoiseSecurity.SecureOutboundAsync(transport, Identity, null, huge, CancellationToken.None));
        Assert.Empty(transport.Writes);
    }
}
