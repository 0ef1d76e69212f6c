using Dione.Libp2p.Identity;
using Dione.Libp2p.Noise;
using Dione.Libp2p.Tests.TestSupport;
using Dione.Primitives.Crypto;
using Google.Protobuf;

namespace Dione.Libp2p.Tests.Noise;

public class NoiseHandshakeTests
{
    private const string Yamux = "/yamux/1.0.0";
    private const string Mplex = "/mplex/6.7.0";

    [Fact]
    public async Task Public_entry_points_authenticate_both_peers()
    {
        await using var pair = await LoopbackPair.CreateAsync();
        var clientKey = PrivateKey.Generate(KeyType.Ed25519);
        var serverKey = PrivateKey.Generate(KeyType.Ed25519);
        var ct = NoiseTestPeers.Timeout();
        var serverTask = NoiseSecurity.SecureInboundAsync(pair.Server, serverKey, [Yamux], ct);
        var clientTask = NoiseSecurity.SecureOutboundAsync(pair.Client, clientKey, PeerId.FromPublicKey(serverKey.PublicKey), [Yamux], ct);
        var client = await clientTask.WaitAsync(NoiseTestPeers.Deadline);
        var server = await serverTask.WaitAsync(NoiseTestPeers.Deadline);

        Assert.Equal("/noise", NoiseSecurity.ProtocolId);
        Assert.Equal(PeerId.FromPublicKey(serverKey.PublicKey), client.RemotePeer);
        Assert.Equal(PeerId.FromPublicKey(clientKey.PublicKey), server.RemotePeer);
        Assert.Equal(serverKey.PublicKey, client.RemoteKey);
        Assert.Equal(clientKey.PublicKey, server.RemoteKey);
        Assert.IsType<NoiseStream>(client.Stream);
        Assert.Equal(Yamux, client.Muxer);
        Assert.Equal(Yamux, server.Muxer);

        await client.Stream.WriteAsync("ping"u8.ToArray(), ct);
        var buffer = new byte[4];
        await server.Stream.ReadExactlyAsync(buffer, ct);
        Assert.Equal("ping"u8.ToArray(), buffer);
        await server.Stream.WriteAsync("pong"u8.ToArray(), ct);
        await client.Stream.ReadExactlyAsync(buffer, ct);
        Assert.Equal("pong"u8.ToArray(), buffer);
    }

    [Fact]
    public async Task Outbound_without_expected_peer_accepts_any_authenticated_peer()
    {
        await using var pair = await LoopbackPair.CreateAsync();
        var serverKey = PrivateKey.Generate(KeyType.Ed25519);
        var serverTask = NoiseTestPeers.Inbound(pair.Server, serverKey);
        var client = await NoiseTestPeers.Outbound(pair.Client, PrivateKey.Generate(KeyType.Ed25519), expected: null);
        await serverTask.WaitAsync(NoiseTestPeers.Deadline);
        Assert.Equal(PeerId.FromPublicKey(serverKey.PublicKey), client.RemotePeer);
        Assert.Null(client.Muxer);
    }

    public static TheoryData<string[], string[], string?> MuxerCases => new()
    {
        { [Yamux], [Yamux], Yamux },
        { [Yamux, Mplex], [Mplex, Yamux], Yamux },
        { [Mplex, Yamux], [Yamux, Mplex], Mplex },
        { [Mplex, Yamux], [Yamux], Yamux },
        { [Yamux], [Mplex], null },
        { [], [Yamux], null },
        { [Yamux], [], null },
        { [], [], null },
    };

    [Theory]
    [MemberData(nameof(MuxerCases))]
    public async Task Both_sides_agree_on_the_initiators_first_common_muxer(string[] clientMuxers, string[] serverMuxers, string? expected)
    {
        await using var pair = await LoopbackPair.CreateAsync();
        var (client, server) = await NoiseTestPeers.ConnectAsync(pair.Client, pair.Server, clientMuxers, serverMuxers);
        Assert.Equal(expected, client.Muxer);
        Assert.Equal(expected, server.Muxer);
    }

    [Fact]
    public async Task Responder_signing_with_another_key_is_rejected()
    {
        await using var pair = await LoopbackPair.CreateAsync();
        var serverKey = PrivateKey.Generate(KeyType.Ed25519);
        var impostorSigner = PrivateKey.Generate(KeyType.Ed25519);
        var overrides = new NoiseHandshakeOverrides
        {
            PayloadFactory = staticKey => new Protos.NoiseHandshakePayload
            {
                IdentityKey = ByteString.CopyFrom(serverKey.PublicKey.ToProtobuf()),
                IdentitySig = ByteString.CopyFrom(impostorSigner.Sign(NoiseHandshakePayloadCodec.SignedData(staticKey))),
            }.ToByteArray(),
        };
        var serverTask = NoiseTestPeers.Inbound(pair.Server, serverKey, overrides: overrides);
        var error = await Assert.ThrowsAsync<NoiseHandshakeException>(() => NoiseTestPeers.Outbound(
            pair.Client, PrivateKey.Generate(KeyType.Ed25519), PeerId.FromPublicKey(serverKey.PublicKey)));
        Assert.Contains("signature", error.Message);
        await Assert.ThrowsAsync<NoiseHandshakeException>(() => serverTask.WaitAsync(NoiseTestPeers.Deadline));
    }

    [Fact]
    public async Task Signature_over_a_different_static_key_is_rejected()
    {
        await using var pair = await LoopbackPair.CreateAsync();
        var serverKey = PrivateKey.Generate(KeyType.Ed25519);
        var otherStatic = X25519KeyPair.Generate();
        var overrides = new NoiseHandshakeOverrides
        {
            PayloadFactory = _ => NoiseHandshakePayloadCodec.Create(serverKey, otherStatic.PublicKey, []),
        };
        var serverTask = NoiseTestPeers.Inbound(pair.Server, serverKey, overrides: overrides);
        await Assert.ThrowsAsync<NoiseHandshakeException>(() => NoiseTestPeers.Outbound(
            pair.Client, PrivateKey.Generate(KeyType.Ed25519), expected: null));
        await Assert.ThrowsAsync<NoiseHandshakeException>(() => serverTask.WaitAsync(NoiseTestPeers.Deadline));
    }

    [Fact]
    public async Task Initiator_with_a_bad_signature_is_rejected_by_the_responder()
    {
        await using var pair = await LoopbackPair.CreateAsync();
        var clientKey = PrivateKey.Generate(KeyType.Ed25519);
        var overrides = new NoiseHandshakeOverrides
        {
            PayloadFactory = staticKey => new Protos.NoiseHandshakePayload
            {
                IdentityKey = ByteString.CopyFrom(clientKey.PublicKey.ToProtobuf()),
                IdentitySig = ByteString.CopyFrom(new byte[64]),
            }.ToByteArray(),
        };
        var serverTask = NoiseTestPeers.Inbound(pair.Server, PrivateKey.Generate(KeyType.Ed25519));
        await NoiseTestPeers.Outbound(pair.Client, clientKey, expected: null, overrides: overrides);
        await Assert.ThrowsAsync<NoiseHandshakeException>(() => serverTask.WaitAsync(NoiseTestPeers.Deadline));
    }

    [Fact]
    public async Task Remote_that_is_not_the_expected_peer_is_rejected()
    {
        await using var pair = await LoopbackPair.CreateAsync();
        var serverTask = NoiseTestPeers.Inbound(pair.Server, PrivateKey.Generate(KeyType.Ed25519));
        var someoneElse = PeerId.FromPublicKey(PrivateKey.Generate(KeyType.Ed25519).PublicKey);
        var error = await Assert.ThrowsAsync<NoiseHandshakeException>(() => NoiseTestPeers.Outbound(
            pair.Client, PrivateKey.Generate(KeyType.Ed25519), someoneElse));
        Assert.Contains(someoneElse.ToString(), error.Message);
        await Assert.ThrowsAsync<NoiseHandshakeException>(() => serverTask.WaitAsync(NoiseTestPeers.Deadline));
    }

    public static TheoryData<string> MalformedPayloads => new()
    {
        "garbage",
        "no-signature",
        "no-key",
        "unsupported-key-type",
        "malformed-key",
    };

    [Theory]
    [MemberData(nameof(MalformedPayloads))]
    public async Task Malformed_responder_payloads_fail_the_handshake(string kind)
    {
        await using var pair = await LoopbackPair.CreateAsync();
        var serverKey = PrivateKey.Generate(KeyType.Ed25519);
        var overrides = new NoiseHandshakeOverrides
        {
            PayloadFactory = staticKey =>
            {
                var signature = ByteString.CopyFrom(serverKey.Sign(NoiseHandshakePayloadCodec.SignedData(staticKey)));
                var key = ByteString.CopyFrom(serverKey.PublicKey.ToProtobuf());
                return kind switch
                {
                    "garbage" => [0xff, 0xff, 0xff],
                    "no-signature" => new Protos.NoiseHandshakePayload { IdentityKey = key }.ToByteArray(),
                    "no-key" => new Protos.NoiseHandshakePayload { IdentitySig = signature }.ToByteArray(),
                    "unsupported-key-type" => new Protos.NoiseHandshakePayload
                    {
                        IdentityKey = new Protos.PublicKey { Type = Protos.KeyType.Secp256K1, Data = ByteString.CopyFrom(1, 2, 3) }.ToByteString(),
                        IdentitySig = signature,
                    }.ToByteArray(),
                    _ => new Protos.NoiseHandshakePayload { IdentityKey = ByteString.CopyFrom(8, 1), IdentitySig = signature }.ToByteArray(),
                };
            },
        };
        var serverTask = NoiseTestPeers.Inbound(pair.Server, serverKey, overrides: overrides);
        await Assert.ThrowsAsync<NoiseHandshakeException>(() => NoiseTestPeers.Outbound(
            pair.Client, PrivateKey.Generate(KeyType.Ed25519), expected: null));
        await Assert.ThrowsAsync<NoiseHandshakeException>(() => serverTask.WaitAsync(NoiseTestPeers.Deadline));
    }

    [Fact]
    public async Task Peer_closing_mid_handshake_raises_NoiseHandshakeException()
    {
        await using var pair = await LoopbackPair.CreateAsync();
        var clientTask = NoiseTestPeers.Outbound(pair.Client, PrivateKey.Generate(KeyType.Ed25519), expected: null);
        var message1 = new byte[34];
        await pair.Server.ReadExactlyAsync(message1, NoiseTestPeers.Timeout());
        await pair.Server.WriteAsync(new byte[] { 0x00, 0x60, 1, 2, 3 });
        NoiseTestPeers.ShutDown(pair.Server);
        await Assert.ThrowsAsync<NoiseHandshakeException>(() => clientTask.WaitAsync(NoiseTestPeers.Deadline));
    }
}
