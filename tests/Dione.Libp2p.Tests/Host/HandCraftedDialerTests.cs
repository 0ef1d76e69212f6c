using System.Net.Sockets;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multistream;
using Dione.Libp2p.Noise;
using Dione.Libp2p.Protocols.Ping;
using Dione.Libp2p.Tests.TestSupport;
using Dione.Libp2p.Yamux;

namespace Dione.Libp2p.Tests.Host;

/// <summary>
/// Dialers assembled by hand from the protocol pieces, the way other implementations dial us: kubo proposes
/// <c>/tls/1.0.0</c> before <c>/noise</c>, and a peer may skip the Noise muxer extension and negotiate Yamux after.
/// </summary>
public class HandCraftedDialerTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_dialer_that_proposes_tls_first_gets_na_then_noise_and_can_ping(bool offerMuxerInNoise)
    {
        await using var host = await TestHosts.StartAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(host.ListenAddresses[0].ToTcpEndPoint()!, Timeouts.Token());
        var transport = new NetworkStream(socket, ownsSocket: false);

        var security = await MultistreamSelect.SelectAsync(transport, ["/tls/1.0.0", NoiseSecurity.ProtocolId], Timeouts.Token());
        var secured = await NoiseSecurity.SecureOutboundAsync(
            transport, PrivateKey.Generate(), host.PeerId, offerMuxerInNoise ? [YamuxProtocol.Id] : [], Timeouts.Token());
        if (secured.Muxer is null)
        {
            Assert.Equal(YamuxProtocol.Id, await MultistreamSelect.SelectAsync(secured.Stream, [YamuxProtocol.Id], Timeouts.Token()));
        }
        await using var session = new YamuxSession(secured.Stream, isInitiator: true);
        session.Start();
        await using var stream = await session.OpenStreamAsync(Timeouts.Token());
        Assert.Equal(PingService.ProtocolId, await MultistreamSelect.SelectAsync(stream, [PingService.ProtocolId], Timeouts.Token()));
        var payload = new byte[PingService.PayloadLength];
        Random.Shared.NextBytes(payload);
        await stream.WriteAsync(payload, Timeouts.Token());
        var echo = new byte[PingService.PayloadLength];
        await stream.ReadExactlyAsync(echo, Timeouts.Token());

        Assert.Equal(NoiseSecurity.ProtocolId, security);
        Assert.Equal(offerMuxerInNoise ? YamuxProtocol.Id : null, secured.Muxer);
        Assert.Equal(payload, echo);
    }

    [Fact]
    public async Task A_dialer_that_speaks_only_tls_is_refused_and_the_socket_closed()
    {
        await using var host = await TestHosts.StartAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(host.ListenAddresses[0].ToTcpEndPoint()!, Timeouts.Token());
        var transport = new NetworkStream(socket, ownsSocket: false);

        await Assert.ThrowsAsync<ProtocolNegotiationException>(
            () => MultistreamSelect.SelectAsync(transport, ["/tls/1.0.0"], Timeouts.Token()));

        Assert.Empty(host.Connections);
    }
}
