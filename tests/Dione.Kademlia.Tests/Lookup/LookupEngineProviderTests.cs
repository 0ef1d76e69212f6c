using Dione.Kademlia.Lookup;
using Dione.Kademlia.Tests.TestSupport;
using Dione.Libp2p.Identity;

namespace Dione.Kademlia.Tests.Lookup;

public sealed class LookupEngineProviderTests
{
    private static byte[] Cid(int seed)
    {
        var cid = new byte[34];
        cid[0] = 0x12;
        cid[1] = 0x20;
        new Random(seed).NextBytes(cid.AsSpan(2));
        return cid;
    }

    private static List<KadPeer> Providers(int seed, int count) =>
        [.. RandomPeers.Many(seed, count).Select(p => new KadPeer(p, [FakeKadNetwork.Address]))];

    [Fact]
    public async Task Yields_a_provider_before_the_lookup_ends()
    {
        var network = new FakeKadNetwork(nodes: 200, seed: 40);
        var self = network.Nodes[0];
        var cid = Cid(41);
        var seeds = network.SeedsFor(self, cid);
        var provider = Providers(42, 1)[0];
        // One seed answers at once with a provider; every other node waits for the gate.
        foreach (var node in network.Nodes)
        {
            node.Behaviour = FakeNodeBehaviour.Gated;
        }
        var quick = network[seeds[0].PeerId];
        quick.Behaviour = FakeNodeBehaviour.Honest;
        quick.AddProvider(cid, provider);
        var engine = new LookupEngine(network, self.PeerId, new LookupOptions());
        LookupStats? stats = null;

        await using var providers = engine.FindProvidersAsync(cid, seeds, 10, completed: s => stats = s, cancellationToken: Timeouts.Token()).GetAsyncEnumerator();

        Assert.True(await providers.MoveNextAsync().AsTask().WaitAsync(Timeouts.Test));
        Assert.Equal(provider, providers.Current);
        Assert.Null(stats);
        Assert.True(network.InFlight > 0, "the lookup is still waiting on other peers");
        network.OpenGate();
        Assert.False(await providers.MoveNextAsync().AsTask().WaitAsync(Timeouts.Test));
        Assert.NotNull(stats);
        Assert.Equal(LookupTermination.Converged, stats.Termination);
    }

    [Fact]
    public async Task Stops_at_the_maximum_and_yields_each_provider_once()
    {
        var network = new FakeKadNetwork(nodes: 300, seed: 43);
        var self = network.Nodes[0];
        var cid = Cid(44);
        var providers = Providers(45, 10);
        var closest = network.TrueClosest(cid, 20, n => n != self);
        for (var i = 0; i < closest.Count; i++)
        {
            // Each of the closest knows 3 providers, overlapping its neighbours'.
            for (var j = 0; j < 3; j++)
            {
                network[closest[i]].AddProvider(cid, providers[(i + j) % providers.Count]);
            }
        }
        var engine = new LookupEngine(network, self.PeerId, new LookupOptions());

        var all = new List<KadPeer>();
        LookupStats? allStats = null;
        await foreach (var p in engine.FindProvidersAsync(cid, network.SeedsFor(self, cid), 100, completed: s => allStats = s, cancellationToken: Timeouts.Token()))
        {
            all.Add(p);
        }
        Assert.Equal(providers.Select(p => p.PeerId.ToString()).Order(), all.Select(p => p.PeerId.ToString()).Order());
        Assert.Equal(LookupTermination.Converged, allStats!.Termination);

        var some = new List<KadPeer>();
        LookupStats? someStats = null;
        await foreach (var p in engine.FindProvidersAsync(cid, network.SeedsFor(self, cid), 4, completed: s => someStats = s, cancellationToken: Timeouts.Token()))
        {
            some.Add(p);
        }
        Assert.Equal(4, some.Count);
        Assert.Equal(4, some.Select(p => p.PeerId).Distinct().Count());
        Assert.Equal(LookupTermination.Satisfied, someStats!.Termination);
    }

    [Fact]
    public async Task Leaving_the_enumeration_early_stops_the_lookup()
    {
        var network = new FakeKadNetwork(nodes: 200, seed: 46);
        var self = network.Nodes[0];
        var cid = Cid(47);
        var seeds = network.SeedsFor(self, cid);
        foreach (var node in network.Nodes)
        {
            node.Behaviour = FakeNodeBehaviour.Hanging;
        }
        var quick = network[seeds[0].PeerId];
        quick.Behaviour = FakeNodeBehaviour.Honest;
        quick.AddProvider(cid, Providers(48, 1)[0]);
        var engine = new LookupEngine(network, self.PeerId, new LookupOptions());

        await foreach (var _ in engine.FindProvidersAsync(cid, seeds, 10, cancellationToken: Timeouts.Token()))
        {
            break;
        }

        await network.SettledAsync().WaitAsync(Timeouts.Test);
        Assert.Equal(0, network.InFlight);
    }

    [Fact]
    public async Task Cancellation_ends_the_enumeration_with_operation_canceled()
    {
        var network = new FakeKadNetwork(nodes: 50, seed: 49);
        foreach (var node in network.Nodes)
        {
            node.Behaviour = FakeNodeBehaviour.Hanging;
        }
        var self = network.Nodes[0];
        var cid = Cid(50);
        using var cancel = new CancellationTokenSource();
        network.OnRequest = (_, _) => cancel.Cancel();
        var engine = new LookupEngine(network, self.PeerId, new LookupOptions());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in engine.FindProvidersAsync(cid, network.SeedsFor(self, cid), 10, cancellationToken: cancel.Token))
            {
            }
        });
        await network.SettledAsync().WaitAsync(Timeouts.Test);
    }
}
