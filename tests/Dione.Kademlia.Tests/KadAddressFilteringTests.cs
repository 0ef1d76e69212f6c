using Dione.Kademlia.Protos;
using Dione.Kademlia.Tests.TestSupport;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats;
using Dione.Libp2p.Multiformats.Multiaddr;
using Google.Protobuf;

namespace Dione.Kademlia.Tests;

/// <summary>
/// What the DHT learns from replies, serves to others and lets into its routing table, on the public DHT (private
/// addresses refused) and on a private network (allowed).
/// </summary>
public class KadAddressFilteringTests
{
    private static readonly PeerId Mixed = RandomPeers.Next(new Random(50));
    private static readonly PeerId Unusable = RandomPeers.Next(new Random(51));
    private static readonly PeerId PrivateOnly = RandomPeers.Next(new Random(52));
    private static readonly PeerId NoAddresses = RandomPeers.Next(new Random(53));

    private static readonly string[] MixedAddresses =
    [
        "/ip4/0.0.0.0/tcp/4001",
        "/ip4/224.0.0.1/udp/4001",
        "/ip4/8.8.8.8/tcp/0",
        "/ip4/1.2.3.4/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA/p2p-circuit",
        "/ip4/10.0.0.1/tcp/4001",
        "/ip4/127.0.0.1/tcp/4001",
        "/ip4/5.6.7.8/tcp/4001",
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Closer_peers_from_a_reply_keep_only_allowed_addresses_and_peers_left_without_any_are_dropped(bool allowPrivate)
    {
        await using var server = await ScriptedServerAsync(async (stream, ct) =>
        {
            var request = (await stream.ReadMessageAsync(Message.Parser, ct))!;
            var reply = new Message { Type = request.Type };
            reply.CloserPeers.Add(Entry(Mixed, MixedAddresses));
            reply.CloserPeers.Add(Entry(Unusable, "/ip4/0.0.0.0/tcp/4001", "/ip6/ff02::1/udp/1"));
            reply.CloserPeers.Add(Entry(PrivateOnly, "/ip4/192.168.1.1/tcp/4001"));
            reply.CloserPeers.Add(Entry(NoAddresses));
            await stream.WriteMessageAsync(reply, ct);
        });
        await using var client = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client, AllowPrivateAddresses = allowPrivate });
        client.Host.Peers.AddAddresses(server.PeerId, server.ListenAddresses);

        var closer = await client.Client.FindNodeAsync(server.PeerId, Multihash.Sha256("target"u8), Timeouts.Token());

        var expected = allowPrivate
            ? new[] { "/ip4/10.0.0.1/tcp/4001", "/ip4/127.0.0.1/tcp/4001", "/ip4/5.6.7.8/tcp/4001" }
            : ["/ip4/5.6.7.8/tcp/4001"];
        Assert.Equal(allowPrivate ? [Mixed, PrivateOnly, NoAddresses] : [Mixed, NoAddresses], closer.Select(p => p.PeerId));
        Assert.Equal(expected, closer[0].Addresses.Select(a => a.ToString()));
        Assert.Equal(expected, client.Host.Peers.Get(Mixed)!.Addresses.Select(a => a.ToString()));
        Assert.Null(client.Host.Peers.Get(Unusable));
        Assert.Equal(allowPrivate, client.Host.Peers.Get(PrivateOnly) is not null);

        // The FIND_NODE target itself is kept even when none of its addresses is allowed (it is the answer).
        var forTarget = await client.Client.FindNodeAsync(server.PeerId, Unusable, Timeouts.Token());
        Assert.Empty(Assert.Single(forTarget, p => p.PeerId == Unusable).Addresses);
    }

    [Fact]
    public async Task Providers_from_a_reply_keep_only_allowed_addresses_and_stay_without_any()
    {
        var key = Multihash.Sha256("block"u8);
        await using var server = await ScriptedServerAsync(async (stream, ct) =>
        {
            var request = (await stream.ReadMessageAsync(Message.Parser, ct))!;
            var reply = new Message { Type = request.Type, Key = request.Key };
            reply.ProviderPeers.Add(Entry(Mixed, MixedAddresses));
            reply.ProviderPeers.Add(Entry(PrivateOnly, "/ip4/192.168.1.1/tcp/4001"));
            await stream.WriteMessageAsync(reply, ct);
        });
        await using var client = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client, AllowPrivateAddresses = false });
        client.Host.Peers.AddAddresses(server.PeerId, server.ListenAddresses);

        var reply = await client.Client.GetProvidersAsync(server.PeerId, key, Timeouts.Token());

        Assert.Equal([Mixed, PrivateOnly], reply.Providers.Select(p => p.PeerId));
        Assert.Equal(["/ip4/5.6.7.8/tcp/4001"], reply.Providers[0].Addresses.Select(a => a.ToString()));
        Assert.Empty(reply.Providers[1].Addresses);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_server_serves_only_allowed_addresses_of_closer_peers_and_providers(bool allowPrivate)
    {
        await using var node = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Server, AllowPrivateAddresses = allowPrivate });
        node.Host.Peers.AddAddresses(Mixed, [.. MixedAddresses.Select(Multiaddress.Parse).Select(a => a.WithoutPeerId())]);
        node.Host.Peers.AddAddresses(PrivateOnly, [Multiaddress.Parse("/ip4/192.168.1.1/tcp/4001")]);
        node.Table.TryAdd(Mixed);
        node.Table.TryAdd(PrivateOnly);
        var requester = RandomPeers.Next(new Random(54));
        var key = Multihash.Sha256("block"u8);
        await node.Providers.AddAsync(key, new KadPeer(PrivateOnly, [Multiaddress.Parse("/ip4/192.168.1.1/tcp/4001"), Multiaddress.Parse("/ip4/0.0.0.0/tcp/1")]), default);

        var found = (await node.Server.HandleRequestAsync(requester, new Message { Type = Message.Types.MessageType.FindNode, Key = ByteString.CopyFrom(key) }, default))!;
        var providers = (await node.Server.HandleRequestAsync(requester, new Message { Type = Message.Types.MessageType.GetProviders, Key = ByteString.CopyFrom(key) }, default))!;

        var served = found.CloserPeers.Select(KadPeerCodec.TryFromProto).OfType<KadPeer>().ToDictionary(p => p.PeerId);
        var expectedMixed = allowPrivate
            ? new[] { "/ip4/10.0.0.1/tcp/4001", "/ip4/127.0.0.1/tcp/4001", "/ip4/5.6.7.8/tcp/4001" }
            : ["/ip4/5.6.7.8/tcp/4001"];
        Assert.Equal(expectedMixed, served[Mixed].Addresses.Select(a => a.ToString()));
        Assert.Equal(allowPrivate, served.ContainsKey(PrivateOnly));
        var provider = KadPeerCodec.TryFromProto(Assert.Single(providers.ProviderPeers))!;
        Assert.Equal(PrivateOnly, provider.PeerId);
        Assert.Equal(allowPrivate ? ["/ip4/192.168.1.1/tcp/4001"] : Array.Empty<string>(), provider.Addresses.Select(a => a.ToString()));
    }

    [Fact]
    public async Task Add_provider_stores_only_allowed_addresses_but_still_needs_the_sender_to_give_some()
    {
        await using var node = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Server, AllowPrivateAddresses = false });
        var sender = RandomPeers.Next(new Random(55));
        var key = Multihash.Sha256("block"u8);
        var request = new Message { Type = Message.Types.MessageType.AddProvider, Key = ByteString.CopyFrom(key) };
        request.ProviderPeers.Add(Entry(sender, "/ip4/127.0.0.1/tcp/4001", "/ip4/5.6.7.8/tcp/4001", "/ip4/0.0.0.0/tcp/4001"));

        Assert.Null(await node.Server.HandleRequestAsync(sender, request, default));

        var stored = Assert.Single(await node.Providers.GetAsync(key, 10, default));
        Assert.Equal(["/ip4/5.6.7.8/tcp/4001"], stored.Addresses.Select(a => a.ToString()));
        var bare = new Message { Type = Message.Types.MessageType.AddProvider, Key = ByteString.CopyFrom(key) };
        bare.ProviderPeers.Add(Entry(sender));
        await Assert.ThrowsAsync<KadProtocolException>(() => node.Server.HandleRequestAsync(sender, bare, default));
    }

    [Fact]
    public async Task On_the_public_dht_a_server_known_only_at_loopback_addresses_stays_out_of_the_table()
    {
        await using var us = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client, AllowPrivateAddresses = false });
        await using var server = await KadTestNode.StartAsync();
        await using var manager = new RoutingTableManager(us.Host, us.Table, us.Client, us.Options);
        var refused = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        manager.PeerRefused += (_, e) =>
        {
            if (e.Peer == server.PeerId)
            {
                refused.TrySetResult(e.Reason);
            }
        };
        manager.Start();

        await us.ConnectAsync(server);

        Assert.Equal("no public address", await refused.Task.WaitAsync(Timeouts.Test));
        Assert.False(us.Table.Contains(server.PeerId));
        Assert.Equal(0, manager.PendingAdmissions);
    }

    [Fact]
    public async Task The_table_diversity_limit_keeps_a_second_peer_of_the_same_ip_group_out()
    {
        await using var us = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client });
        await using var first = await KadTestNode.StartAsync();
        await using var second = await KadTestNode.StartAsync();
        var table = new RoutingTable(us.PeerId) { Diversity = new IpDiversityLimits(PerBucket: 1, PerTable: 1) };
        await using var manager = new RoutingTableManager(us.Host, table, us.Client, us.Options);
        var added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var refused = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        manager.PeerAdded += (_, p) =>
        {
            if (p == first.PeerId)
            {
                added.TrySetResult();
            }
        };
        manager.PeerRefused += (_, e) =>
        {
            if (e.Peer == second.PeerId)
            {
                refused.TrySetResult(e.Reason);
            }
        };
        manager.Start();

        await us.ConnectAsync(first);
        await added.Task.WaitAsync(Timeouts.Test);
        await us.ConnectAsync(second);

        Assert.Equal("IP group 127.0.0.0/16 is at its limit", await refused.Task.WaitAsync(Timeouts.Test));
        Assert.Equal([first.PeerId], table.GetAll().Select(e => e.PeerId));
        Assert.Equal("127.0.0.0/16", table.Find(first.PeerId)?.IpGroupKey);
    }

    private static Message.Types.Peer Entry(PeerId peer, params string[] addresses)
    {
        var entry = new Message.Types.Peer { Id = ByteString.CopyFrom(peer.Bytes) };
        foreach (var address in addresses)
        {
            entry.Addrs.Add(ByteString.CopyFrom(Multiaddress.Parse(address).ToBytes()));
        }
        return entry;
    }

    private static async Task<Libp2pHost> ScriptedServerAsync(StreamHandler handler)
    {
        var host = new Libp2pHostBuilder().ListenOn("/ip4/127.0.0.1/tcp/0").WithProtocol(KademliaDefaults.ProtocolId, handler).Build();
        await host.StartAsync();
        return host;
    }
}
