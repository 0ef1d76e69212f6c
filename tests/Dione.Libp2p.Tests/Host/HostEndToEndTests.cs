using System.Net.Sockets;
using System.Security.Cryptography;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Noise;
using Dione.Libp2p.Protocols.Identify;
using Dione.Libp2p.Protocols.Perf;
using Dione.Libp2p.Protocols.Ping;
using Dione.Libp2p.Tests.TestSupport;

namespace Dione.Libp2p.Tests.Host;

public class HostEndToEndTests
{
    private const string Echo = "/dione/echo/1.0.0";

    [Fact]
    public async Task Dial_connects_over_noise_and_yamux_and_both_sides_see_each_other()
    {
        await using var listener = await TestHosts.StartAsync(b => b.WithProtocol(Echo, TestHosts.EchoAsync));
        await using var dialer = await TestHosts.StartAsync();
        var connected = new TaskCompletionSource<Connection>();
        listener.Connected += (_, c) => connected.TrySetResult(c);

        var connection = await dialer.DialAsync(listener.DialAddress(), Timeouts.Token());

        Assert.Equal(listener.PeerId, connection.RemotePeer);
        Assert.Equal(Direction.Outbound, connection.Direction);
        var inbound = await connected.Task.WaitAsync(Timeouts.Test);
        Assert.Equal(dialer.PeerId, inbound.RemotePeer);
        Assert.Equal(Direction.Inbound, inbound.Direction);
        Assert.Same(connection, await dialer.DialAsync(listener.DialAddress(), Timeouts.Token()));
    }

    [Fact]
    public async Task Identify_tells_each_side_the_others_protocols_agent_and_addresses()
    {
        await using var listener = await TestHosts.StartAsync(b => b.WithProtocol(Echo, TestHosts.EchoAsync).WithAgentVersion("listener/1"));
        await using var dialer = await TestHosts.StartAsync(b => b.WithAgentVersion("dialer/1"));
        var dialerSawListener = new TaskCompletionSource<PeerInfo>();
        var listenerSawDialer = new TaskCompletionSource<PeerInfo>();
        dialer.Identify.PeerIdentified += (_, p) => dialerSawListener.TrySetResult(p);
        listener.Identify.PeerIdentified += (_, p) => listenerSawDialer.TrySetResult(p);

        await dialer.DialAsync(listener.DialAddress(), Timeouts.Token());

        var ofListener = await dialerSawListener.Task.WaitAsync(Timeouts.Test);
        Assert.Equal("listener/1", ofListener.AgentVersion);
        Assert.Equal("ipfs/0.1.0", ofListener.ProtocolVersion);
        Assert.Contains(Echo, ofListener.Protocols);
        Assert.Contains(PingService.ProtocolId, ofListener.Protocols);
        Assert.Contains(IdentifyService.ProtocolId, ofListener.Protocols);
        Assert.Contains(IdentifyService.PushProtocolId, ofListener.Protocols);
        Assert.Contains(listener.ListenAddresses[0], ofListener.Addresses);
        Assert.NotNull(ofListener.PeerRecordSeq);
        Assert.Equal(dialer.Connections[0].LocalAddress, ofListener.ObservedAddress);

        var ofDialer = await listenerSawDialer.Task.WaitAsync(Timeouts.Test);
        Assert.Equal("dialer/1", ofDialer.AgentVersion);
        Assert.Contains(dialer.ListenAddresses[0], ofDialer.Addresses);
        Assert.DoesNotContain(Echo, ofDialer.Protocols);
    }

    [Fact]
    public async Task Identify_push_announces_a_protocol_added_after_connecting()
    {
        await using var listener = await TestHosts.StartAsync();
        await using var dialer = await TestHosts.StartAsync();
        await dialer.DialAsync(listener.DialAddress(), Timeouts.Token());
        await dialer.Identify.WaitForPeerAsync(listener.PeerId, Timeouts.Token());
        var pushed = new TaskCompletionSource<PeerInfo>();
        dialer.Identify.PeerIdentified += (_, p) =>
        {
            if (p.Protocols.Contains("/late/1.0.0"))
            {
                pushed.TrySetResult(p);
            }
        };

        listener.SetStreamHandler("/late/1.0.0", TestHosts.EchoAsync);

        var info = await pushed.Task.WaitAsync(Timeouts.Test);
        Assert.Contains("/late/1.0.0", info.Protocols);
        Assert.Contains("/late/1.0.0", dialer.Peers.Get(listener.PeerId)!.Protocols);
    }

    [Fact]
    public async Task Ping_measures_round_trips_in_both_directions()
    {
        await using var a = await TestHosts.StartAsync();
        await using var b = await TestHosts.StartAsync();
        await b.DialAsync(a.DialAddress(), Timeouts.Token());

        var fromB = await b.Ping.PingAsync(a.PeerId, 3, Timeouts.Token()).ToListAsync();
        var inbound = await WaitForConnectionAsync(a, b.PeerId);
        var fromA = await a.Ping.PingAsync(b.PeerId, 2, Timeouts.Token()).ToListAsync();

        Assert.Equal(3, fromB.Count);
        Assert.Equal(2, fromA.Count);
        Assert.All(fromB.Concat(fromA), rtt => Assert.True(rtt > TimeSpan.Zero && rtt < Timeouts.Test));
        Assert.Same(inbound, a.FindConnection(b.PeerId));
    }

    [Fact]
    public async Task Echo_on_100_concurrent_streams_returns_every_byte_on_one_connection()
    {
        await using var listener = await TestHosts.StartAsync(b => b.WithProtocol(Echo, TestHosts.EchoAsync));
        await using var dialer = await TestHosts.StartAsync();
        await dialer.DialAsync(listener.DialAddress(), Timeouts.Token());

        var tasks = Enumerable.Range(0, 100).Select(async i =>
        {
            var payload = RandomNumberGenerator.GetBytes(16 * 1024 + i);
            await using var stream = await dialer.NewStreamAsync(listener.PeerId, [Echo], Timeouts.Token());
            var reading = ReadToEndAsync(stream.Stream);
            await stream.Stream.WriteAsync(payload, Timeouts.Token());
            await stream.CloseWriteAsync(Timeouts.Token());
            Assert.Equal(payload, await reading.WaitAsync(Timeouts.Test));
        });
        await Task.WhenAll(tasks);

        Assert.Single(dialer.Connections);
    }

    [Fact]
    public async Task Perf_moves_the_requested_bytes_both_ways()
    {
        await using var server = await TestHosts.StartAsync();
        await using var client = await TestHosts.StartAsync();
        await client.DialAsync(server.DialAddress(), Timeouts.Token());

        var result = await client.Perf.RunAsync(server.PeerId, 3_000_000, 5_000_001, Timeouts.Token());

        Assert.Equal(3_000_000UL, result.UploadBytes);
        Assert.Equal(5_000_001UL, result.DownloadBytes);
        Assert.True(result.DownloadBitsPerSecond > 0);
    }

    [Fact]
    public async Task NewStream_to_a_peer_known_only_by_id_dials_its_stored_address()
    {
        await using var listener = await TestHosts.StartAsync(b => b.WithProtocol(Echo, TestHosts.EchoAsync));
        await using var dialer = await TestHosts.StartAsync();
        dialer.Peers.AddAddresses(listener.PeerId, listener.ListenAddresses);

        await using var stream = await dialer.NewStreamAsync(listener.PeerId, ["/absent/1.0.0", Echo], Timeouts.Token());

        Assert.Equal(Echo, stream.Protocol);
    }

    [Fact]
    public async Task Dial_with_the_wrong_peer_id_fails_and_leaves_no_connection()
    {
        await using var listener = await TestHosts.StartAsync();
        await using var dialer = await TestHosts.StartAsync();
        var impostor = PeerId.FromPublicKey(PrivateKey.Generate().PublicKey);
        var address = listener.ListenAddresses[0].WithPeerId(impostor);

        await Assert.ThrowsAsync<NoiseHandshakeException>(() => dialer.DialAsync(address, Timeouts.Token()));

        Assert.Empty(dialer.Connections);
    }

    [Fact]
    public async Task A_stream_for_an_unknown_protocol_is_refused_and_the_connection_survives()
    {
        await using var listener = await TestHosts.StartAsync();
        await using var dialer = await TestHosts.StartAsync();
        var connection = await dialer.DialAsync(listener.DialAddress(), Timeouts.Token());

        await Assert.ThrowsAsync<Dione.Libp2p.Multistream.ProtocolNegotiationException>(
            () => connection.OpenStreamAsync(["/nobody/1.0.0", "/nobody/2.0.0"], Timeouts.Token()));

        var rtts = await dialer.Ping.PingAsync(listener.PeerId, 1, Timeouts.Token()).ToListAsync();
        Assert.Single(rtts);
    }

    [Fact]
    public async Task A_handler_that_throws_resets_its_stream_only()
    {
        await using var listener = await TestHosts.StartAsync(b => b.WithProtocol("/boom/1.0.0", (_, _) => throw new InvalidOperationException("boom")));
        await using var dialer = await TestHosts.StartAsync();
        await dialer.DialAsync(listener.DialAddress(), Timeouts.Token());

        await using var stream = await dialer.NewStreamAsync(listener.PeerId, ["/boom/1.0.0"], Timeouts.Token());
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            var buffer = new byte[1];
            while (await stream.Stream.ReadAsync(buffer, Timeouts.Token()) > 0)
            {
            }
        });

        var rtts = await dialer.Ping.PingAsync(listener.PeerId, 1, Timeouts.Token()).ToListAsync();
        Assert.Single(rtts);
    }

    [Fact]
    public async Task A_peer_that_stalls_in_the_handshake_is_cut_off_within_the_timeout()
    {
        var limits = new HostLimits { HandshakeTimeout = TimeSpan.FromMilliseconds(500) };
        await using var listener = await TestHosts.StartAsync(b => b.WithLimits(limits));
        using var staller = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await staller.ConnectAsync(listener.ListenAddresses[0].ToTcpEndPoint()!);

        var buffer = new byte[64];
        var read = await staller.ReceiveAsync(buffer, SocketFlags.None, Timeouts.Token());

        Assert.Equal(0, read);
    }

    [Fact]
    public async Task Connections_past_the_limit_are_refused()
    {
        var limits = new HostLimits { MaxConnections = 1 };
        await using var listener = await TestHosts.StartAsync(b => b.WithLimits(limits));
        await using var first = await TestHosts.StartAsync();
        await using var second = await TestHosts.StartAsync();
        await first.DialAsync(listener.DialAddress(), Timeouts.Token());
        await WaitForConnectionAsync(listener, first.PeerId);

        await Assert.ThrowsAnyAsync<Exception>(() => second.DialAsync(listener.DialAddress(), Timeouts.Token()));

        Assert.Single(listener.Connections);
    }

    [Fact]
    public async Task Disconnect_closes_the_connection_and_raises_the_event()
    {
        await using var listener = await TestHosts.StartAsync();
        await using var dialer = await TestHosts.StartAsync();
        var closed = new TaskCompletionSource<Connection>();
        listener.Disconnected += (_, c) => closed.TrySetResult(c);
        await dialer.DialAsync(listener.DialAddress(), Timeouts.Token());
        await WaitForConnectionAsync(listener, dialer.PeerId);

        await dialer.DisconnectAsync(listener.PeerId);

        Assert.Equal(dialer.PeerId, (await closed.Task.WaitAsync(Timeouts.Test)).RemotePeer);
        Assert.Null(dialer.FindConnection(listener.PeerId));
    }

    [Fact]
    public async Task Works_over_ipv6_loopback()
    {
        if (!Socket.OSSupportsIPv6)
        {
            Assert.Fail("IPv6 is not available on this machine");
        }
        await using var listener = await TestHosts.StartAsync(listen: "/ip6/::1/tcp/0");
        await using var dialer = await TestHosts.StartAsync(listen: "/ip6/::1/tcp/0");

        var connection = await dialer.DialAsync(listener.DialAddress(), Timeouts.Token());

        Assert.Equal("/ip6/::1/tcp/" + listener.ListenAddresses[0].ToTcpEndPoint()!.Port, connection.RemoteAddress.ToString());
        Assert.Single(await dialer.Ping.PingAsync(listener.PeerId, 1, Timeouts.Token()).ToListAsync());
    }

    private static async Task<Connection> WaitForConnectionAsync(Libp2pHost host, PeerId peer)
    {
        var arrived = new TaskCompletionSource<Connection>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Connected += (_, c) =>
        {
            if (c.RemotePeer == peer)
            {
                arrived.TrySetResult(c);
            }
        };
        var existing = host.FindConnection(peer);
        return existing ?? await arrived.Task.WaitAsync(Timeouts.Test);
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
