using Dione.Kademlia.Lookup;
using Dione.Kademlia.Tests.TestSupport;

namespace Dione.Kademlia.Tests.Lookup;

public sealed class LookupEngineClosestPeersTests
{
    private static byte[] Key(Random random)
    {
        var key = new byte[32];
        random.NextBytes(key);
        return key;
    }

    [Fact]
    public async Task Finds_exactly_the_true_k_closest_peers_in_a_settled_network()
    {
        var network = new FakeKadNetwork(nodes: 400, seed: 1);
        var random = new Random(2);
        for (var i = 0; i < 20; i++)
        {
            var self = network.Nodes[random.Next(network.Nodes.Count)];
            var key = Key(random);
            var engine = new LookupEngine(network, self.PeerId, new LookupOptions());

            var result = await engine.FindClosestPeersAsync(key, network.SeedsFor(self, key), cancellationToken: Timeouts.Token());

            var expected = network.TrueClosest(key, KademliaDefaults.K, n => n.PeerId != self.PeerId);
            Assert.Equal(expected, result.ClosestPeers.Select(p => p.PeerId));
            Assert.Equal(LookupTermination.Converged, result.Stats.Termination);
            // A request still in flight when the lookup converges (its peer was pushed out of the k closest) is
            // cancelled: sent, but neither answered nor failed.
            Assert.InRange(result.Stats.PeersQueried, result.Stats.MessagesSent - KademliaDefaults.Alpha, result.Stats.MessagesSent);
            Assert.InRange(result.Stats.Hops, 1, 6);
            Assert.All(result.ClosestPeers, p => Assert.Equal([FakeKadNetwork.Address], p.Addresses));
        }
    }

    [Fact]
    public async Task Keeps_at_most_alpha_requests_in_flight()
    {
        var network = new FakeKadNetwork(nodes: 300, seed: 3);
        var self = network.Nodes[0];
        var random = new Random(4);
        foreach (var alpha in new[] { 1, 3, 10 })
        {
            var key = Key(random);
            var engine = new LookupEngine(network, self.PeerId, new LookupOptions { Alpha = alpha });
            var before = network.Requests;

            var result = await engine.FindClosestPeersAsync(key, network.SeedsFor(self, key), cancellationToken: Timeouts.Token());

            Assert.InRange(network.MaxInFlight, 1, 10);
            Assert.Equal(result.Stats.MessagesSent, network.Requests - before);
            Assert.Equal(network.TrueClosest(key, 20, n => n != self), result.ClosestPeers.Select(p => p.PeerId));
        }
    }

    [Fact]
    public async Task With_requests_held_no_more_than_alpha_are_sent_and_each_release_lets_one_more_go()
    {
        var network = new FakeKadNetwork(nodes: 100, seed: 5);
        foreach (var node in network.Nodes)
        {
            node.Behaviour = FakeNodeBehaviour.Gated;
        }
        var self = network.Nodes[0];
        var key = Key(new Random(6));
        var reachedAlpha = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        network.OnRequest = (_, inFlight) =>
        {
            if (inFlight == 3)
            {
                reachedAlpha.TrySetResult();
            }
        };
        var engine = new LookupEngine(network, self.PeerId, new LookupOptions { Alpha = 3 });
        var lookup = engine.FindClosestPeersAsync(key, network.SeedsFor(self, key), cancellationToken: Timeouts.Token());

        await reachedAlpha.Task.WaitAsync(Timeouts.Test);
        Assert.Equal(3, network.Requests);
        Assert.False(lookup.IsCompleted);
        network.OpenGate();
        var result = await lookup.WaitAsync(Timeouts.Test);

        Assert.Equal(3, network.MaxInFlight);
        Assert.Equal(LookupTermination.Converged, result.Stats.Termination);
    }

    [Fact]
    public async Task Terminates_with_no_seeds_and_when_every_seed_fails()
    {
        var network = new FakeKadNetwork(nodes: 50, seed: 7);
        var self = network.Nodes[0];
        var key = Key(new Random(8));
        var engine = new LookupEngine(network, self.PeerId, new LookupOptions());

        var empty = await engine.FindClosestPeersAsync(key, [], cancellationToken: Timeouts.Token());
        Assert.Empty(empty.ClosestPeers);
        Assert.Equal(0, empty.Stats.MessagesSent);
        Assert.Equal(LookupTermination.Converged, empty.Stats.Termination);

        var seeds = network.SeedsFor(self, key);
        foreach (var seed in seeds)
        {
            network[seed.PeerId].Behaviour = FakeNodeBehaviour.Failing;
        }
        var failed = await engine.FindClosestPeersAsync(key, seeds, cancellationToken: Timeouts.Token());
        Assert.Empty(failed.ClosestPeers);
        Assert.Equal(seeds.Count, failed.Stats.PeersFailed);
        Assert.Equal(seeds.Count, failed.Stats.MessagesSent);
        Assert.Equal(1, failed.Stats.Hops);
    }

    [Fact]
    public async Task Never_asks_itself_or_the_same_peer_twice()
    {
        var network = new FakeKadNetwork(nodes: 200, seed: 9);
        var self = network.Nodes[0];
        var asked = new List<Libp2p.Identity.PeerId>();
        network.OnRequest = (peer, _) =>
        {
            lock (asked)
            {
                asked.Add(peer);
            }
        };
        var engine = new LookupEngine(network, self.PeerId, new LookupOptions());

        // The key is our own id: every reply names us, and we must not ask ourselves.
        var key = self.PeerId.ToBytes();
        var result = await engine.FindClosestPeersAsync(key, [.. network.SeedsFor(self, key), new KadPeer(self.PeerId)], cancellationToken: Timeouts.Token());

        Assert.DoesNotContain(self.PeerId, asked);
        Assert.Equal(asked.Count, asked.Distinct().Count());
        Assert.Equal(network.TrueClosest(key, 20, n => n != self), result.ClosestPeers.Select(p => p.PeerId));
    }

    [Fact]
    public async Task Drops_failing_and_hanging_peers_and_still_finds_the_closest_live_ones()
    {
        var network = new FakeKadNetwork(nodes: 400, seed: 10);
        var random = new Random(11);
        foreach (var node in network.Nodes.Skip(1))
        {
            var roll = random.NextDouble();
            node.Behaviour = roll < 0.2 ? FakeNodeBehaviour.Failing : roll < 0.3 ? FakeNodeBehaviour.Hanging : FakeNodeBehaviour.Honest;
        }
        var self = network.Nodes[0];
        var options = new LookupOptions { RequestTimeout = TimeSpan.FromMilliseconds(200) };
        var engine = new LookupEngine(network, self.PeerId, options);
        for (var i = 0; i < 5; i++)
        {
            var key = Key(random);

            var result = await engine.FindClosestPeersAsync(key, network.SeedsFor(self, key), cancellationToken: Timeouts.Token());

            // Replies name the k closest including dead peers, so the live ones among the true k closest are what
            // any lookup can find; every one of them must be found, and nothing dead returned.
            var live = network.TrueClosest(key, 20, n => n != self).Where(p => network[p].Behaviour == FakeNodeBehaviour.Honest);
            Assert.All(result.ClosestPeers, p => Assert.Equal(FakeNodeBehaviour.Honest, network[p.PeerId].Behaviour));
            Assert.Subset(result.ClosestPeers.Select(p => p.PeerId).ToHashSet(), live.ToHashSet());
            Assert.True(result.Stats.PeersFailed > 0);
            Assert.InRange(result.Stats.PeersQueried + result.Stats.PeersFailed, result.Stats.MessagesSent - KademliaDefaults.Alpha, result.Stats.MessagesSent);
            Assert.Equal(LookupTermination.Converged, result.Stats.Termination);
        }
        await network.SettledAsync().WaitAsync(Timeouts.Test);
        Assert.Equal(0, network.InFlight);
    }

    [Fact]
    public async Task A_peer_answering_thousands_of_unknown_peers_costs_a_bounded_number_of_requests()
    {
        var network = new FakeKadNetwork(nodes: 300, seed: 12);
        var self = network.Nodes[0];
        var random = new Random(13);
        var key = Key(random);
        var seeds = network.SeedsFor(self, key);
        var liars = seeds.Take(3).Select(s => network[s.PeerId]).ToList();
        foreach (var liar in liars)
        {
            liar.Behaviour = FakeNodeBehaviour.Garbage;
        }
        var options = new LookupOptions();
        var engine = new LookupEngine(network, self.PeerId, options);

        var result = await engine.FindClosestPeersAsync(key, seeds, cancellationToken: Timeouts.Token());

        Assert.InRange(network.RequestsToUnknownPeers, 1, liars.Count * options.MaxCloserPeersPerReply);
        // The liars are real nodes that answer: they count among the closest when they are.
        Assert.Equal(network.TrueClosest(key, 20, n => n != self), result.ClosestPeers.Select(p => p.PeerId));
        Assert.Equal(LookupTermination.Converged, result.Stats.Termination);
    }

    [Fact]
    public async Task The_lookup_deadline_ends_it_with_what_it_has_and_cancellation_throws()
    {
        var network = new FakeKadNetwork(nodes: 60, seed: 14);
        foreach (var node in network.Nodes)
        {
            node.Behaviour = FakeNodeBehaviour.Hanging;
        }
        var self = network.Nodes[0];
        var key = Key(new Random(15));
        var engine = new LookupEngine(network, self.PeerId, new LookupOptions { Timeout = TimeSpan.FromMilliseconds(200) });

        var result = await engine.FindClosestPeersAsync(key, network.SeedsFor(self, key), cancellationToken: Timeouts.Token());
        Assert.Equal(LookupTermination.TimedOut, result.Stats.Termination);
        Assert.Empty(result.ClosestPeers);
        await network.SettledAsync().WaitAsync(Timeouts.Test);
        Assert.Equal(0, network.InFlight);

        using var cancel = new CancellationTokenSource();
        var slow = new LookupEngine(network, self.PeerId, new LookupOptions());
        network.OnRequest = (_, _) => cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => slow.FindClosestPeersAsync(key, network.SeedsFor(self, key), cancellationToken: cancel.Token));
        await network.SettledAsync().WaitAsync(Timeouts.Test);
        Assert.Equal(0, network.InFlight);
    }

    [Fact]
    public async Task Reports_progress_after_every_reply_with_the_closest_distance_never_growing()
    {
        var network = new FakeKadNetwork(nodes: 300, seed: 16);
        var self = network.Nodes[0];
        var key = Key(new Random(17));
        var progress = new RecordingProgress();
        var engine = new LookupEngine(network, self.PeerId, new LookupOptions());

        var result = await engine.FindClosestPeersAsync(key, network.SeedsFor(self, key), progress, Timeouts.Token());

        var reports = progress.Reports;
        Assert.Equal(result.Stats.PeersQueried + result.Stats.PeersFailed, reports.Count);
        for (var i = 1; i < reports.Count; i++)
        {
            Assert.True(reports[i].PeersQueried + reports[i].PeersFailed == i + 1);
            Assert.True(reports[i].ClosestDistance <= reports[i - 1].ClosestDistance);
            Assert.True(reports[i].ClosestCommonPrefixLength >= reports[i - 1].ClosestCommonPrefixLength);
        }
        Assert.Equal(KadId.FromKey(key).Xor(KadId.FromPeerId(result.ClosestPeers[0].PeerId)), reports[^1].ClosestDistance);
    }

    [Fact]
    public async Task A_hop_limit_drops_deeper_peers()
    {
        var network = new FakeKadNetwork(nodes: 300, seed: 18);
        var self = network.Nodes[0];
        var key = Key(new Random(19));
        var engine = new LookupEngine(network, self.PeerId, new LookupOptions { MaxHops = 1 });

        var result = await engine.FindClosestPeersAsync(key, network.SeedsFor(self, key), cancellationToken: Timeouts.Token());

        Assert.Equal(1, result.Stats.Hops);
        Assert.Equal(network.SeedsFor(self, key).Count, result.Stats.MessagesSent);
    }

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        var network = new FakeKadNetwork(nodes: 2, seed: 20);
        var self = network.Nodes[0].PeerId;
        Assert.Throws<ArgumentException>(() => new LookupEngine(network, self, new LookupOptions { Alpha = 0 }));
        Assert.Throws<ArgumentException>(() => new LookupEngine(network, self, new LookupOptions { K = 0 }));
        Assert.Throws<ArgumentException>(() => new LookupEngine(network, self, new LookupOptions { MaxCandidates = 5 }));
        Assert.Throws<ArgumentException>(() => new LookupEngine(network, self, new LookupOptions { RequestTimeout = TimeSpan.Zero }));
    }
}
