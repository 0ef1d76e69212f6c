using Dione.Libp2p.Protocols.Ping;
using Dione.Libp2p.Tests.TestSupport;

namespace Dione.Libp2p.Tests.Protocols;

public class PingTests
{
    [Fact]
    public async Task A_ping_stream_may_carry_many_pings_and_ends_cleanly_on_half_close()
    {
        await using var server = await TestHosts.StartAsync();
        await using var client = await TestHosts.StartAsync();
        await client.DialAsync(server.DialAddress(), Timeouts.Token());
        await using var stream = await client.NewStreamAsync(server.PeerId, [PingService.ProtocolId], Timeouts.Token());
        var payload = new byte[PingService.PayloadLength * 5];
        Random.Shared.NextBytes(payload);

        await stream.Stream.WriteAsync(payload, Timeouts.Token());
        await stream.CloseWriteAsync(Timeouts.Token());
        using var echoed = new MemoryStream();
        await stream.Stream.CopyToAsync(echoed, Timeouts.Token());

        Assert.Equal(payload, echoed.ToArray());
    }

    [Fact]
    public async Task A_truncated_ping_gets_no_echo_and_the_stream_is_reset()
    {
        await using var server = await TestHosts.StartAsync();
        await using var client = await TestHosts.StartAsync();
        await client.DialAsync(server.DialAddress(), Timeouts.Token());
        await using var stream = await client.NewStreamAsync(server.PeerId, [PingService.ProtocolId], Timeouts.Token());

        await stream.Stream.WriteAsync(new byte[PingService.PayloadLength - 1], Timeouts.Token());
        await stream.CloseWriteAsync(Timeouts.Token());

        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            var buffer = new byte[64];
            while (await stream.Stream.ReadAsync(buffer, Timeouts.Token()) > 0)
            {
            }
        });
    }

    [Fact]
    public async Task A_third_concurrent_inbound_ping_stream_from_one_peer_is_refused()
    {
        await using var server = await TestHosts.StartAsync();
        await using var client = await TestHosts.StartAsync();
        await client.DialAsync(server.DialAddress(), Timeouts.Token());
        var open = new List<Dione.Libp2p.Host.StreamContext>();
        for (var i = 0; i < PingService.MaxInboundStreamsPerPeer; i++)
        {
            var stream = await client.NewStreamAsync(server.PeerId, [PingService.ProtocolId], Timeouts.Token());
            await stream.Stream.WriteAsync(new byte[PingService.PayloadLength], Timeouts.Token());
            await stream.Stream.ReadExactlyAsync(new byte[PingService.PayloadLength], Timeouts.Token());
            open.Add(stream);
        }

        await using var third = await client.NewStreamAsync(server.PeerId, [PingService.ProtocolId], Timeouts.Token());
        await third.Stream.WriteAsync(new byte[PingService.PayloadLength], Timeouts.Token());

        await Assert.ThrowsAnyAsync<IOException>(() => third.Stream.ReadExactlyAsync(new byte[PingService.PayloadLength], Timeouts.Token()).AsTask());
        foreach (var stream in open)
        {
            await stream.DisposeAsync();
        }
    }
}
