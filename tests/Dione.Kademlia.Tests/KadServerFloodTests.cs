using Dione.Kademlia.Protos;
using Dione.Kademlia.Tests.TestSupport;
using Dione.Libp2p.Host;
using Google.Protobuf;

namespace Dione.Kademlia.Tests;

/// <summary>A peer that opens too many streams or leaves them idle cannot tie the server up.</summary>
public class KadServerFloodTests
{
    [Fact]
    public async Task Streams_beyond_the_per_peer_bound_are_reset_while_other_peers_are_served()
    {
        await using var server = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Server, MaxInboundStreamsPerPeer = 16 });
        await using var flooder = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client });
        await using var other = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client });
        flooder.Host.Peers.AddAddresses(server.PeerId, server.Host.ListenAddresses);
        other.Host.Peers.AddAddresses(server.PeerId, server.Host.ListenAddresses);
        var ping = new Message { Type = Message.Types.MessageType.Ping };

        // 16 streams, each proven to be inside the server's request loop by one answered ping, then left open.
        var held = new List<StreamContext>();
        for (var i = 0; i < 16; i++)
        {
            var stream = await RawKadStream.OpenAsync(flooder, server);
            await RawKadStream.RoundTripAsync(stream, ping);
            held.Add(stream);
        }
        Assert.Equal(16, server.Server.OpenStreams(flooder.PeerId));

        // Forty more at once: every one is reset, none is served.
        var excess = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            var stream = await RawKadStream.OpenAsync(flooder, server);
            await RawKadStream.AssertRequestIsResetAsync(stream, ping);
            return stream;
        }));

        // Another peer is served meanwhile.
        Assert.Equal(Message.Types.MessageType.Ping, (await other.Client.SendRequestAsync(server.PeerId, ping, Timeouts.Token())).Type);

        // Closing one held stream frees its slot.
        await held[0].CloseWriteAsync(Timeouts.Token());
        Assert.Null(await RawKadStream.ReadAsync(held[0]));
        Assert.Equal(15, server.Server.OpenStreams(flooder.PeerId));
        Assert.Equal(Message.Types.MessageType.Ping, (await flooder.Client.SendRequestAsync(server.PeerId, ping, Timeouts.Token())).Type);

        foreach (var stream in held.Concat(excess))
        {
            await stream.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_flood_from_many_peers_beyond_the_total_bound_is_reset_and_serving_resumes_when_it_ends()
    {
        await using var server = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Server, MaxInboundStreams = 8 });
        var flooders = new List<KadTestNode>();
        for (var i = 0; i < 4; i++)
        {
            var flooder = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client });
            flooder.Host.Peers.AddAddresses(server.PeerId, server.Host.ListenAddresses);
            flooders.Add(flooder);
        }
        await using var other = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client });
        other.Host.Peers.AddAddresses(server.PeerId, server.Host.ListenAddresses);
        var ping = new Message { Type = Message.Types.MessageType.Ping };
        var held = new List<StreamContext>();
        var refused = new List<StreamContext>();
        try
        {
            // Three streams from each of four peers, one at a time: each is under the per-peer bound (16), but only
            // the first eight fit the total bound; those are proven served by a ping and held open.
            foreach (var flooder in flooders)
            {
                for (var i = 0; i < 3; i++)
                {
                    var stream = await RawKadStream.OpenAsync(flooder, server);
                    if (held.Count < 8)
                    {
                        await RawKadStream.RoundTripAsync(stream, ping);
                        held.Add(stream);
                    }
                    else
                    {
                        await RawKadStream.AssertRequestIsResetAsync(stream, ping);
                        refused.Add(stream);
                    }
                }
            }
            Assert.Equal(8, server.Server.TotalOpenStreams);
            Assert.Equal(4, refused.Count);

            // Streams already admitted keep being served; a newcomer is refused while the bound is reached.
            Assert.Equal(Message.Types.MessageType.Ping, (await RawKadStream.RoundTripAsync(held[^1], ping)).Type);
            await Assert.ThrowsAnyAsync<IOException>(() => other.Client.SendRequestAsync(server.PeerId, ping, Timeouts.Token()));

            // The flood ends: every slot is given back and the newcomer is served.
            foreach (var stream in held)
            {
                await stream.CloseWriteAsync(Timeouts.Token());
                Assert.Null(await RawKadStream.ReadAsync(stream));
            }
            Assert.Equal(0, server.Server.TotalOpenStreams);
            Assert.Equal(Message.Types.MessageType.Ping, (await other.Client.SendRequestAsync(server.PeerId, ping, Timeouts.Token())).Type);
        }
        finally
        {
            foreach (var stream in held.Concat(refused))
            {
                await stream.DisposeAsync();
            }
            foreach (var flooder in flooders)
            {
                await flooder.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task An_idle_stream_is_reset_after_the_idle_timeout()
    {
        await using var server = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Server, StreamIdleTimeout = TimeSpan.FromMilliseconds(300) });
        await using var client = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client });
        client.Host.Peers.AddAddresses(server.PeerId, server.Host.ListenAddresses);
        await using var stream = await RawKadStream.OpenAsync(client, server);
        await RawKadStream.RoundTripAsync(stream, new Message { Type = Message.Types.MessageType.Ping });

        var started = DateTime.UtcNow;
        await RawKadStream.AssertResetAsync(stream);

        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10));
        Assert.Equal(0, server.Server.OpenStreams(client.PeerId));
    }

    [Fact]
    public async Task A_slow_sender_is_reset_when_its_request_does_not_arrive_in_time()
    {
        await using var server = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Server, StreamIdleTimeout = TimeSpan.FromMilliseconds(300) });
        await using var client = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client });
        client.Host.Peers.AddAddresses(server.PeerId, server.Host.ListenAddresses);
        await using var stream = await RawKadStream.OpenAsync(client, server);
        var request = RawKadStream.Framed(new Message { Type = Message.Types.MessageType.FindNode, Key = ByteString.CopyFromUtf8("key") }.ToByteArray());

        // Half a message, then nothing: the read of the rest is bounded by the same timeout.
        await RawKadStream.WriteRawAsync(stream, request[..3]);

        await RawKadStream.AssertResetAsync(stream);
    }
}
