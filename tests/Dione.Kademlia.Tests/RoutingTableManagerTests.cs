using Dione.Kademlia.Tests.TestSupport;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;

namespace Dione.Kademlia.Tests;

/// <summary>The routing table follows identify, and full buckets evict only peers that fail a liveness check.</summary>
public class RoutingTableManagerTests
{
    [Fact]
    public async Task Identified_dht_servers_enter_the_table_and_clients_do_not()
    {
        await using var us = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client });
        await using var server = await KadTestNode.StartAsync();
        await using var client = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client });
        await using var manager = Start(us);
        var added = WhenAdded(manager, server.PeerId);

        await us.ConnectAsync(server);
        await client.ConnectAsync(us);

        await added.WaitAsync(Timeouts.Test);
        Assert.True(us.Table.Contains(server.PeerId));
        Assert.False(us.Table.Contains(client.PeerId));
        Assert.Equal(1, us.Table.Count);
    }

    [Fact]
    public async Task A_peer_that_stops_advertising_the_protocol_leaves_and_comes_back()
    {
        await using var us = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client });
        await using var server = await KadTestNode.StartAsync();
        await using var manager = Start(us);
        var added = WhenAdded(manager, server.PeerId);
        await us.ConnectAsync(server);
        await added.WaitAsync(Timeouts.Test);
        var removed = new TaskCompletionSource<PeerId>(TaskCreationOptions.RunContinuationsAsynchronously);
        manager.PeerRemoved += (_, peer) => removed.TrySetResult(peer);

        server.Server.SetMode(KadMode.Client); // identify push without the protocol

        Assert.Equal(server.PeerId, await removed.Task.WaitAsync(Timeouts.Test));
        Assert.False(us.Table.Contains(server.PeerId));

        var back = WhenAdded(manager, server.PeerId);
        server.Server.SetMode(KadMode.Server);
        await back.WaitAsync(Timeouts.Test);
        Assert.True(us.Table.Contains(server.PeerId));
    }

    [Fact]
    public async Task The_table_follows_identify_through_the_host_interface_without_sockets()
    {
        var host = new InMemoryHost();
        var options = new KadOptions { Mode = KadMode.Client, AllowPrivateAddresses = true, AdmissionCheck = false };
        var table = new RoutingTable(host.PeerId);
        await using var manager = new RoutingTableManager(host, table, new KadClient(host, options), options);
        manager.Start();
        var server = PeerId.FromPublicKey(PrivateKey.Generate(KeyType.Ed25519).PublicKey);
        var client = PeerId.FromPublicKey(PrivateKey.Generate(KeyType.Ed25519).PublicKey);

        host.Identify(new PeerInfo(server) { Protocols = [options.ProtocolId] });
        host.Identify(new PeerInfo(client) { Protocols = ["/ipfs/ping/1.0.0"] });

        Assert.True(table.Contains(server));
        Assert.False(table.Contains(client));

        host.Identify(new PeerInfo(server) { Protocols = ["/ipfs/ping/1.0.0"] });

        Assert.False(table.Contains(server));
    }

    [Fact]
    public async Task Peers_identified_before_start_are_considered()
    {
        await using var us = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client });
        await using var server = await KadTestNode.StartAsync();
        await us.ConnectAsync(server);

        await using var manager = new RoutingTableManager(us.Host, us.Table, us.Client, us.Options);
        var added = WhenAdded(manager, server.PeerId);
        manager.Start();

        await added.WaitAsync(Timeouts.Test);
        Assert.True(us.Table.Contains(server.PeerId));
    }

    [Fact]
    public async Task A_dead_eviction_candidate_is_replaced_by_the_newcomer()
    {
        await using var us = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client, BucketSize = 1 });
        var dead = PeerInBucket(us.Table, 0, new Random(1)); // no address: its check fails at once
        Assert.Equal(RoutingTableAddStatus.Added, us.Table.TryAdd(dead).Status);
        await using var newcomer = await KadTestNode.StartAsync(identity: KeyInBucket(us.Table, 0));
        await using var manager = Start(us);
        var checkedDead = WhenChecked(manager, dead);
        var added = WhenAdded(manager, newcomer.PeerId);

        await us.ConnectAsync(newcomer);

        Assert.False(await checkedDead.WaitAsync(Timeouts.Test));
        await added.WaitAsync(Timeouts.Test);
        Assert.Equal([newcomer.PeerId], us.Table.GetBucket(0).Select(e => e.PeerId));
    }

    [Fact]
    public async Task A_live_eviction_candidate_stays_and_the_newcomer_waits_as_a_replacement()
    {
        await using var us = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client, BucketSize = 1 });
        await using var incumbent = await KadTestNode.StartAsync(identity: KeyInBucket(us.Table, 0));
        await using var newcomer = await KadTestNode.StartAsync(identity: KeyInBucket(us.Table, 0));
        await using var manager = Start(us);
        var added = WhenAdded(manager, incumbent.PeerId);
        await us.ConnectAsync(incumbent);
        await added.WaitAsync(Timeouts.Test);
        var checkedIncumbent = WhenChecked(manager, incumbent.PeerId);

        await us.ConnectAsync(newcomer);

        Assert.True(await checkedIncumbent.WaitAsync(Timeouts.Test));
        Assert.Equal([incumbent.PeerId], us.Table.GetBucket(0).Select(e => e.PeerId));
        Assert.Equal([newcomer.PeerId], us.Table.GetReplacements(0).Select(e => e.PeerId));

        // When the incumbent stops serving, the replacement is promoted.
        var promoted = WhenAdded(manager, newcomer.PeerId);
        incumbent.Server.SetMode(KadMode.Client);
        await promoted.WaitAsync(Timeouts.Test);
        Assert.Equal([newcomer.PeerId], us.Table.GetBucket(0).Select(e => e.PeerId));
    }

    [Fact]
    public async Task Liveness_is_a_find_node_of_the_peers_own_id()
    {
        await using var us = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client, LivenessCheckTimeout = TimeSpan.FromSeconds(2) });
        await using var server = await KadTestNode.StartAsync();
        await using var client = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client });
        us.Host.Peers.AddAddresses(server.PeerId, server.Host.ListenAddresses);
        us.Host.Peers.AddAddresses(client.PeerId, client.Host.ListenAddresses);
        await using var manager = Start(us);

        Assert.True(await manager.CheckLivenessAsync(server.PeerId, Timeouts.Token()));
        Assert.False(await manager.CheckLivenessAsync(client.PeerId, Timeouts.Token()));
        Assert.False(await manager.CheckLivenessAsync(RandomPeers.Next(new Random(3)), Timeouts.Token()));
    }

    [Fact]
    public async Task Peers_that_answer_our_requests_are_marked_seen()
    {
        var time = new ManualTimeProvider();
        await using var us = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client, TimeProvider = time });
        await using var server = await KadTestNode.StartAsync();
        await using var manager = Start(us);
        var added = WhenAdded(manager, server.PeerId);
        await us.ConnectAsync(server);
        await added.WaitAsync(Timeouts.Test);
        time.Advance(TimeSpan.FromMinutes(3));

        await us.Client.FindNodeAsync(server.PeerId, server.PeerId, Timeouts.Token());

        Assert.Equal(time.GetUtcNow(), us.Table.Find(server.PeerId)!.LastSeen);
    }

    private static RoutingTableManager Start(KadTestNode node)
    {
        var manager = new RoutingTableManager(node.Host, node.Table, node.Client, node.Options);
        manager.Start();
        return manager;
    }

    private static Task WhenAdded(RoutingTableManager manager, PeerId peer)
    {
        var added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        manager.PeerAdded += (_, p) =>
        {
            if (p == peer)
            {
                added.TrySetResult();
            }
        };
        return added.Task;
    }

    private static Task<bool> WhenChecked(RoutingTableManager manager, PeerId peer)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        manager.LivenessChecked += (_, e) =>
        {
            if (e.Peer == peer)
            {
                done.TrySetResult(e.Alive);
            }
        };
        return done.Task;
    }

    private static PeerId PeerInBucket(RoutingTable table, int cpl, Random random)
    {
        while (true)
        {
            var peer = RandomPeers.Next(random);
            if (table.BucketOf(peer) == cpl)
            {
                return peer;
            }
        }
    }

    private static PrivateKey KeyInBucket(RoutingTable table, int cpl)
    {
        while (true)
        {
            var key = Ed25519PrivateKey.Generate();
            if (table.BucketOf(PeerId.FromPublicKey(key.PublicKey)) == cpl)
            {
                return key;
            }
        }
    }
}
