using Dione.Kademlia.Dht;
using Dione.Kademlia.Records;
using Dione.Kademlia.Tests.TestSupport;
using Dione.Libp2p.Identity;

namespace Dione.Kademlia.Tests.Dht;

/// <summary>KademliaDht nodes over real TCP on 127.0.0.1, all in server mode unless said otherwise.</summary>
public sealed class KademliaDhtEndToEndTests
{
    private static byte[] Cid(int seed)
    {
        var cid = new byte[34];
        cid[0] = 0x12;
        cid[1] = 0x20;
        new Random(seed).NextBytes(cid.AsSpan(2));
        return cid;
    }

    private static async Task<List<DhtTestNode>> StartChainAsync(int count)
    {
        var nodes = new List<DhtTestNode>();
        for (var i = 0; i < count; i++)
        {
            nodes.Add(await DhtTestNode.StartAsync());
        }
        // Each node knows only the previous one.
        for (var i = 1; i < count; i++)
        {
            Assert.Equal(1, await nodes[i].Dht.BootstrapAsync([nodes[i - 1].DialAddress], Timeouts.Token()));
        }
        return nodes;
    }

    private static async Task DisposeAllAsync(IEnumerable<DhtTestNode> nodes)
    {
        await Task.WhenAll(nodes.Select(n => n.DisposeAsync().AsTask()));
    }

    [Fact]
    public async Task A_chain_of_nodes_finds_peers_providers_and_records_through_each_other()
    {
        var nodes = await StartChainAsync(10);
        await using var late = await DhtTestNode.StartAsync();
        try
        {
            // Peers met enter a table once their admission check (a FIND_NODE) has answered, shortly after identify.
            await Task.WhenAll(nodes.Select(n => n.WaitUntilTableHoldsAsync(1)));
            await nodes[^1].WaitUntilTableHoldsAsync(3); // the self-lookup taught the last node more than its bootstrap peer

            // A late node connects to node 5 only: node 0 has no address for it and must learn one through others.
            var identified = KadTestNode.WhenIdentified(nodes[5].Host, late.PeerId, i => i.Protocols.Contains(KademliaDefaults.ProtocolId));
            await late.Host.DialAsync(nodes[5].DialAddress, Timeouts.Token());
            await identified.WaitAsync(Timeouts.Test);
            await nodes[5].WaitUntilInTableAsync(late.PeerId);
            Assert.Null(nodes[0].Host.FindConnection(late.PeerId));
            Assert.Null(nodes[0].Host.Peers.Get(late.PeerId));

            var found = await nodes[0].Dht.FindPeerAsync(late.PeerId, cancellationToken: Timeouts.Token());
            Assert.NotNull(found.Peer);
            Assert.Contains(late.Host.ListenAddresses[0], found.Peer.Addresses);
            await nodes[0].Host.DialAsync(late.PeerId, Timeouts.Token());

            // Provide on node 2, find on node 7.
            var cid = Cid(1);
            var provided = await nodes[2].Dht.ProvideAsync(cid, cancellationToken: Timeouts.Token());
            Assert.NotEmpty(provided.Stored);
            var providers = new List<KadPeer>();
            await foreach (var p in nodes[7].Dht.FindProvidersAsync(cid, cancellationToken: Timeouts.Token()))
            {
                providers.Add(p);
            }
            var provider = Assert.Single(providers);
            Assert.Equal(nodes[2].PeerId, provider.PeerId);
            Assert.Contains(nodes[2].Host.ListenAddresses[0], provider.Addresses);

            // /pk/ record put by node 3, got by node 8.
            var key = PublicKeyValidator.RoutingKey(nodes[3].PeerId);
            var value = nodes[3].Identity.PublicKey.ToProtobuf();
            var put = await nodes[3].Dht.PutValueAsync(key, value, cancellationToken: Timeouts.Token());
            Assert.NotEmpty(put.Stored);
            Assert.Empty(put.Failed);
            var got = await nodes[8].Dht.GetValueAsync(key, cancellationToken: Timeouts.Token());
            Assert.Equal(value, got.Value);
            Assert.True(got.ValidRecords >= 1);

            // Closest peers of a random key: every answer is one of the running nodes.
            var closest = await nodes[9].Dht.GetClosestPeersAsync(Cid(2), cancellationToken: Timeouts.Token());
            var all = nodes.Select(n => n.PeerId).Append(late.PeerId).ToHashSet();
            Assert.Equal(all.Count - 1, closest.ClosestPeers.Count);
            Assert.All(closest.ClosestPeers, p => Assert.Contains(p.PeerId, all));
        }
        finally
        {
            await DisposeAllAsync(nodes);
        }
    }

    [Fact]
    public async Task A_client_mode_node_queries_but_is_not_added_to_servers_tables()
    {
        var nodes = await StartChainAsync(3);
        await using var client = await DhtTestNode.StartAsync(new KademliaDhtOptions { Mode = DhtMode.Client });
        try
        {
            var identified = KadTestNode.WhenIdentified(nodes[2].Host, client.PeerId);
            Assert.Equal(1, await client.Dht.BootstrapAsync([nodes[2].DialAddress], Timeouts.Token()));
            var info = await identified.WaitAsync(Timeouts.Test);

            Assert.Equal(KadMode.Client, client.Dht.CurrentMode);
            Assert.DoesNotContain(KademliaDefaults.ProtocolId, info.Protocols);
            Assert.All(nodes, n => Assert.False(n.Dht.RoutingTable.Contains(client.PeerId)));
            Assert.True(client.Dht.RoutingTable.Contains(nodes[2].PeerId));
            var found = await client.Dht.FindPeerAsync(nodes[0].PeerId, cancellationToken: Timeouts.Token());
            Assert.Equal(nodes[0].PeerId, found.Peer?.PeerId);
        }
        finally
        {
            await DisposeAllAsync(nodes);
        }
    }

    [Fact]
    public async Task Records_and_providers_survive_a_restart_on_the_same_database_file()
    {
        using var database = new Records.TempDatabase();
        var nodes = await StartChainAsync(2);
        var keeper = await DhtTestNode.StartAsync(new KademliaDhtOptions { Mode = DhtMode.Server, DatabasePath = database.Path });
        try
        {
            Assert.Equal(1, await keeper.Dht.BootstrapAsync([nodes[1].DialAddress], Timeouts.Token()));
            var key = PublicKeyValidator.RoutingKey(nodes[0].PeerId);
            var value = nodes[0].Identity.PublicKey.ToProtobuf();
            var put = await nodes[0].Dht.PutValueAsync(key, value, cancellationToken: Timeouts.Token());
            Assert.Contains(keeper.PeerId, put.Stored);
            var cid = Cid(3);
            var provide = await nodes[0].Dht.ProvideAsync(cid, cancellationToken: Timeouts.Token());
            Assert.Contains(keeper.PeerId, provide.Stored);
            // ADD_PROVIDER has no reply: wait until the keeper has stored it.
            await WaitForProviderAsync(keeper.Dht, cid, nodes[0].PeerId);

            var identity = keeper.Identity;
            await keeper.DisposeAsync();
            keeper = await DhtTestNode.StartAsync(new KademliaDhtOptions { Mode = DhtMode.Server, DatabasePath = database.Path }, identity);

            Assert.Equal(value, await keeper.Dht.GetLocalValueAsync(key, Timeouts.Token()));
            Assert.Contains(nodes[0].PeerId, (await keeper.Dht.GetLocalProvidersAsync(cid, Timeouts.Token())).Select(p => p.PeerId));
            // And it serves them again over the network.
            await nodes[1].Host.DisconnectAsync(keeper.PeerId);
            nodes[1].Host.Peers.AddAddresses(keeper.PeerId, keeper.Host.ListenAddresses);
            var reply = await nodes[1].Dht.Client.GetValueAsync(keeper.PeerId, key, Timeouts.Token());
            Assert.Equal(value, reply.Record?.Value.ToByteArray());
        }
        finally
        {
            await keeper.DisposeAsync();
            await DisposeAllAsync(nodes);
        }
    }

    [Fact]
    public async Task Put_value_refuses_invalid_records_and_unregistered_namespaces_until_registered()
    {
        await using var node = await DhtTestNode.StartAsync();
        var other = PrivateKey.Generate();
        var key = PublicKeyValidator.RoutingKey(node.PeerId);

        await Assert.ThrowsAsync<RecordValidationException>(() => node.Dht.PutValueAsync(key, other.PublicKey.ToProtobuf(), cancellationToken: Timeouts.Token()));
        await Assert.ThrowsAsync<RecordValidationException>(() => node.Dht.PutValueAsync("/test/a"u8.ToArray(), "v"u8.ToArray(), cancellationToken: Timeouts.Token()));

        node.Dht.Validator.Register("test", new TestValidator());
        var alone = await node.Dht.PutValueAsync("/test/a"u8.ToArray(), "v"u8.ToArray(), cancellationToken: Timeouts.Token());
        Assert.Empty(alone.Stored);
        Assert.Equal("v"u8.ToArray(), (await node.Dht.GetValueAsync("/test/a"u8.ToArray(), cancellationToken: Timeouts.Token())).Value);
        await node.Dht.PutValueAsync("/test/a"u8.ToArray(), "w"u8.ToArray(), cancellationToken: Timeouts.Token());
        await Assert.ThrowsAsync<RecordValidationException>(() => node.Dht.PutValueAsync("/test/a"u8.ToArray(), "a"u8.ToArray(), cancellationToken: Timeouts.Token()));
    }

    [Fact]
    public async Task Auto_mode_on_loopback_is_client_and_upkeep_refreshes_buckets()
    {
        var nodes = await StartChainAsync(3);
        var options = new KademliaDhtOptions
        {
            Mode = DhtMode.Auto,
            RefreshCheckInterval = TimeSpan.FromMilliseconds(50),
            BucketRefreshInterval = TimeSpan.FromHours(1),
            PruneInterval = TimeSpan.FromMilliseconds(50),
            ProviderRepublishInterval = TimeSpan.FromMilliseconds(100),
        };
        await using var auto = await DhtTestNode.StartAsync(options);
        try
        {
            Assert.Equal(KadMode.Client, auto.Dht.CurrentMode);
            var refreshed = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            auto.Dht.BucketRefreshed += (_, cpl) => refreshed.TrySetResult(cpl);
            Assert.Equal(1, await auto.Dht.BootstrapAsync([nodes[2].DialAddress], Timeouts.Token()));

            // The background loop refreshes due buckets once the table is not empty (the self-lookup covered only ours).
            var cpl = await refreshed.Task.WaitAsync(Timeouts.Test);
            Assert.NotNull(auto.Dht.RoutingTable.LastRefreshed(cpl));
            Assert.Equal(KadMode.Client, auto.Dht.CurrentMode);
        }
        finally
        {
            await DisposeAllAsync(nodes);
        }
    }

    private static async Task WaitForProviderAsync(KademliaDht dht, byte[] cid, PeerId provider)
    {
        var deadline = Timeouts.Token();
        while (!(await dht.GetLocalProvidersAsync(cid, deadline)).Any(p => p.PeerId == provider))
        {
            await Task.Yield();
            deadline.ThrowIfCancellationRequested();
        }
    }
}
