using BenchmarkDotNet.Attributes;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Noise;

namespace Dione.Benchmarks.Handshake;

/// <summary>
/// One full libp2p Noise XX handshake (both sides, Ed25519 identities, the yamux muxer offered) over an in-memory
/// duplex: the curve work of a connection setup (three X25519 key pairs' worth of generation and four DH per side,
/// one Ed25519 signature and one verification per side) without TCP, multistream-select or yamux around it.
/// </summary>
public class NoiseHandshakeBenchmark
{
    private static readonly string[] Muxers = ["/yamux/1.0.0"];

    private PrivateKey _dialer = null!;
    private PrivateKey _listener = null!;
    private PeerId _listenerId = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dialer = Ed25519PrivateKey.Generate();
        _listener = Ed25519PrivateKey.Generate();
        _listenerId = PeerId.FromPublicKey(_listener.PublicKey);
    }

    [Benchmark]
    public async Task<PeerId> NoiseXXHandshakeEd25519()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (dialerEnd, listenerEnd) = InMemoryDuplexStream.CreatePair();
        await using (dialerEnd.ConfigureAwait(false))
        await using (listenerEnd.ConfigureAwait(false))
        {
            var inbound = NoiseSecurity.SecureInboundAsync(listenerEnd, _listener, Muxers, timeout.Token);
            var outbound = await NoiseSecurity.SecureOutboundAsync(dialerEnd, _dialer, _listenerId, Muxers, timeout.Token).ConfigureAwait(false);
            await inbound.ConfigureAwait(false);
            return outbound.RemotePeer;
        }
    }
}
