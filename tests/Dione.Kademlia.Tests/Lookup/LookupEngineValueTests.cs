using System.Text;
using Dione.Kademlia.Lookup;
using Dione.Kademlia.Tests.TestSupport;
using Google.Protobuf;
using Record = Dione.Kademlia.Protos.Record;

namespace Dione.Kademlia.Tests.Lookup;

public sealed class LookupEngineValueTests
{
    private static readonly byte[] Key = "/test/some-key"u8.ToArray();

    private static Record RecordOf(string value) =>
        new() { Key = ByteString.CopyFrom(Key), Value = ByteString.CopyFrom(Encoding.ASCII.GetBytes(value)) };

    private static string? ValueAt(FakeKadNode node) => node.RecordFor(Key) is { } r ? r.Value.ToStringUtf8() : null;

    /// <summary>The 20 closest hold: 6 the new value, 6 an old one, 4 an invalid one, 4 nothing.</summary>
    private static (FakeKadNetwork Network, FakeKadNode Self, List<Libp2p.Identity.PeerId> Closest) Seeded(int seed)
    {
        var network = new FakeKadNetwork(nodes: 300, seed: seed);
        var self = network.Nodes[0];
        var closest = network.TrueClosest(Key, 20, n => n != self);
        for (var i = 0; i < closest.Count; i++)
        {
            var value = i switch { < 6 => "v2", < 12 => "v1", < 16 => "xbad", _ => null };
            if (value is not null)
            {
                network[closest[i]].Records[Convert.ToHexString(Key)] = RecordOf(value);
            }
        }
        return (network, self, closest);
    }

    [Fact]
    public async Task Selects_the_best_valid_value_and_corrects_the_closest_peers_that_lack_it()
    {
        var (network, self, closest) = Seeded(30);
        var engine = new LookupEngine(network, self.PeerId, new LookupOptions { Quorum = 100 });

        var result = await engine.GetValueAsync(Key, network.SeedsFor(self, Key), new TestValidator(), cancellationToken: Timeouts.Token());

        Assert.Equal("v2"u8.ToArray(), result.Value);
        Assert.Equal(12, result.ValidRecords);
        Assert.Equal(LookupTermination.Converged, result.Stats.Termination);
        Assert.Equal(14, result.Corrected.Count);
        Assert.All(closest, p => Assert.Equal("v2", ValueAt(network[p])));
    }

    [Fact]
    public async Task Stops_at_the_quorum_of_valid_records()
    {
        var (network, self, _) = Seeded(31);
        var engine = new LookupEngine(network, self.PeerId, new LookupOptions { Quorum = 3 });

        var result = await engine.GetValueAsync(Key, network.SeedsFor(self, Key), new TestValidator(), cancellationToken: Timeouts.Token());

        Assert.Equal(3, result.ValidRecords);
        Assert.Equal(LookupTermination.Satisfied, result.Stats.Termination);
        Assert.NotNull(result.Value);
    }

    [Fact]
    public async Task No_valid_record_means_no_value_and_no_correction()
    {
        var network = new FakeKadNetwork(nodes: 100, seed: 32);
        var self = network.Nodes[0];
        foreach (var p in network.TrueClosest(Key, 5, n => n != self))
        {
            network[p].Records[Convert.ToHexString(Key)] = RecordOf("xbad");
        }
        var engine = new LookupEngine(network, self.PeerId, new LookupOptions());

        var result = await engine.GetValueAsync(Key, network.SeedsFor(self, Key), new TestValidator(), cancellationToken: Timeouts.Token());

        Assert.Null(result.Value);
        Assert.Equal(0, result.ValidRecords);
        Assert.Empty(result.Corrected);
        Assert.Equal(LookupTermination.Converged, result.Stats.Termination);
    }

    [Fact]
    public async Task Put_value_stores_on_the_k_closest_and_provide_announces_to_them()
    {
        var network = new FakeKadNetwork(nodes: 300, seed: 33);
        var self = network.Nodes[0];
        network.Provider = self.PeerId;
        var engine = new LookupEngine(network, self.PeerId, new LookupOptions());

        var put = await engine.PutValueAsync(RecordOf("v9"), network.SeedsFor(self, Key), cancellationToken: Timeouts.Token());

        var closest = network.TrueClosest(Key, 20, n => n != self);
        Assert.Equal(closest, put.Stored);
        Assert.Empty(put.Failed);
        Assert.All(closest, p => Assert.Equal("v9", ValueAt(network[p])));

        var cid = new byte[34];
        cid[0] = 0x12;
        cid[1] = 0x20;
        new Random(34).NextBytes(cid.AsSpan(2));
        network[network.TrueClosest(cid, 1, n => n != self)[0]].Behaviour = FakeNodeBehaviour.Failing;
        var provide = await engine.ProvideAsync(cid, [FakeKadNetwork.Address], network.SeedsFor(self, cid), cancellationToken: Timeouts.Token());

        var live = network.TrueClosest(cid, 20, n => n != self && n.Behaviour == FakeNodeBehaviour.Honest);
        Assert.Equal(live, provide.Stored);
        Assert.All(live, p => Assert.Equal(self.PeerId, Assert.Single(network[p].ProvidersOf(cid)).PeerId));
    }

    [Fact]
    public async Task Find_peer_stops_as_soon_as_the_target_is_named_with_addresses()
    {
        var network = new FakeKadNetwork(nodes: 300, seed: 35);
        var self = network.Nodes[0];
        var target = network.Nodes[^1];
        var engine = new LookupEngine(network, self.PeerId, new LookupOptions());
        var full = await engine.FindClosestPeersAsync(target.PeerId.ToBytes(), network.SeedsFor(self, target.PeerId.ToBytes()), cancellationToken: Timeouts.Token());

        var found = await engine.FindPeerAsync(target.PeerId, network.SeedsFor(self, target.PeerId.ToBytes()), cancellationToken: Timeouts.Token());

        Assert.NotNull(found.Peer);
        Assert.Equal(target.PeerId, found.Peer.PeerId);
        Assert.Equal([FakeKadNetwork.Address], found.Peer.Addresses);
        Assert.Equal(LookupTermination.Satisfied, found.Stats.Termination);
        Assert.True(found.Stats.MessagesSent < full.Stats.MessagesSent);

        var absent = RandomPeers.Next(new Random(36));
        var missing = await engine.FindPeerAsync(absent, network.SeedsFor(self, absent.ToBytes()), cancellationToken: Timeouts.Token());
        Assert.Null(missing.Peer);
        Assert.Equal(LookupTermination.Converged, missing.Stats.Termination);
    }
}
