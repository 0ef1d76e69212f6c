using Dione.Libp2p.Identity;
using Dione.Libp2p.Noise;
using Dione.Libp2p.Tests.TestSupport;

namespace Dione.Libp2p.Tests.Noise;

public class NoiseLocalIdentityTests
{
    private const string Yamux = "/yamux/1.0.0";

    [Fact]
    public async Task One_static_key_serves_many_handshakes_and_each_is_authenticated()
    {
        var serverKey = PrivateKey.Generate(KeyType.Ed25519);
        var server = new NoiseLocalIdentity(serverKey, [Yamux]);
        var ct = NoiseTestPeers.Timeout();
        for (var i = 0; i < 3; i++)
        {
            await using var pair = await LoopbackPair.CreateAsync();
            var clientKey = PrivateKey.Generate(KeyType.Ed25519);
            var inbound = NoiseSecurity.SecureInboundAsync(pair.Server, server, ct);
            var client = await NoiseSecurity.SecureOutboundAsync(pair.Client, clientKey, PeerId.FromPublicKey(serverKey.PublicKey), [Yamux], ct)
                .WaitAsync(NoiseTestPeers.Deadline);
            var accepted = await inbound.WaitAsync(NoiseTestPeers.Deadline);

            Assert.Equal(PeerId.FromPublicKey(serverKey.PublicKey), client.RemotePeer);
            Assert.Equal(PeerId.FromPublicKey(clientKey.PublicKey), accepted.RemotePeer);
            Assert.Equal(Yamux, client.Muxer);
            await client.Stream.WriteAsync("ping"u8.ToArray(), ct);
            var buffer = new byte[4];
            await accepted.Stream.ReadExactlyAsync(buffer, ct);
            Assert.Equal("ping"u8.ToArray(), buffer);
        }
    }

    [Fact]
    public async Task Initiator_with_a_shared_identity_still_rejects_the_wrong_peer()
    {
        var local = new NoiseLocalIdentity(PrivateKey.Generate(KeyType.Ed25519), [Yamux]);
        var ct = NoiseTestPeers.Timeout();
        await using var pair = await LoopbackPair.CreateAsync();
        var inbound = NoiseSecurity.SecureInboundAsync(pair.Server, PrivateKey.Generate(KeyType.Ed25519), [Yamux], ct);
        var someoneElse = PeerId.FromPublicKey(PrivateKey.Generate(KeyType.Ed25519).PublicKey);
        await Assert.ThrowsAsync<NoiseHandshakeException>(
            () => NoiseSecurity.SecureOutboundAsync(pair.Client, local, someoneElse, ct).WaitAsync(NoiseTestPeers.Deadline));
        pair.Client.Dispose();
        await Assert.ThrowsAnyAsync<Exception>(() => inbound.WaitAsync(NoiseTestPeers.Deadline));
    }

    [Fact]
    public void Oversized_muxer_list_is_refused_up_front()
    {
        var huge = Enumerable.Range(0, 4000).Select(i => $"/muxer/{i}/with/a/long/name").ToArray();
        Assert.Throws<ArgumentException>(() => new NoiseLocalIdentity(PrivateKey.Generate(KeyType.Ed25519), huge));
    }
}
