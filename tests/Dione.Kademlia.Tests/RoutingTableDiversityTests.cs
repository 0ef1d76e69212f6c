using Dione.Kademlia.Tests.TestSupport;
using Dione.Libp2p.Identity;

namespace Dione.Kademlia.Tests;

/// <summary>The IP diversity limit of the routing table: peers per IP group, per bucket and in the whole table.</summary>
public class RoutingTableDiversityTests
{
    private static readonly PeerId Local = RandomPeers.Next(new Random(40));

    [Fact]
    public void A_group_fills_at_most_its_bucket_bound_and_its_table_bound()
    {
        var table = new RoutingTable(Local) { Diversity = new IpDiversityLimits(PerBucket: 2, PerTable: 3) };
        var bucket0 = PeersInBucket(table, 0, 3, seed: 41);
        var bucket1 = PeersInBucket(table, 1, 2, seed: 42);

        Assert.Equal(RoutingTableAddStatus.Added, table.TryAdd(bucket0[0], "8.8.0.0/16").Status);
        Assert.Equal(RoutingTableAddStatus.Added, table.TryAdd(bucket0[1], "8.8.0.0/16").Status);
        Assert.Equal(RoutingTableAddStatus.DiversityLimit, table.TryAdd(bucket0[2], "8.8.0.0/16").Status);
        Assert.Equal(RoutingTableAddStatus.Added, table.TryAdd(bucket0[2], "9.9.0.0/16").Status);
        Assert.Equal(RoutingTableAddStatus.Added, table.TryAdd(bucket1[0], "8.8.0.0/16").Status);
        Assert.Equal(RoutingTableAddStatus.DiversityLimit, table.TryAdd(bucket1[1], "8.8.0.0/16").Status);

        Assert.Equal(3, table.CountInGroup("8.8.0.0/16"));
        Assert.False(table.Contains(bucket1[1]));
        Assert.Empty(table.GetReplacements(1));
        Assert.Equal(RoutingTableAddStatus.AlreadyPresent, table.TryAdd(bucket0[0], "8.8.0.0/16").Status);

        // Leaving frees the place in the group.
        Assert.True(table.Remove(bucket0[0]));
        Assert.Equal(2, table.CountInGroup("8.8.0.0/16"));
        Assert.Equal(RoutingTableAddStatus.Added, table.TryAdd(bucket1[1], "8.8.0.0/16").Status);
    }

    [Fact]
    public void With_a_limit_a_peer_without_a_group_is_refused_and_without_one_groups_are_ignored()
    {
        var limited = new RoutingTable(Local) { Diversity = new IpDiversityLimits(1, 1) };
        var free = new RoutingTable(Local);
        var peers = PeersInBucket(limited, 0, 3, seed: 43);

        Assert.Equal(RoutingTableAddStatus.DiversityLimit, limited.TryAdd(peers[0]).Status);
        Assert.All(peers, p => Assert.Equal(RoutingTableAddStatus.Added, free.TryAdd(p, "8.8.0.0/16").Status));
        Assert.Equal(0, free.CountInGroup("8.8.0.0/16"));
    }

    [Fact]
    public void A_replacement_whose_group_is_full_is_passed_over_at_promotion()
    {
        var table = new RoutingTable(Local, bucketSize: 2) { Diversity = new IpDiversityLimits(PerBucket: 1, PerTable: 10) };
        var peers = PeersInBucket(table, 0, 4, seed: 44);
        Assert.Equal(RoutingTableAddStatus.Added, table.TryAdd(peers[0], "1.1.0.0/16").Status);
        Assert.Equal(RoutingTableAddStatus.Added, table.TryAdd(peers[1], "2.2.0.0/16").Status);
        Assert.Equal(RoutingTableAddStatus.BucketFull, table.TryAdd(peers[2], "3.3.0.0/16").Status);
        Assert.Equal(RoutingTableAddStatus.DiversityLimit, table.TryAdd(peers[3], "2.2.0.0/16").Status);

        // peers[0] leaves: 3.3 is promoted.
        Assert.True(table.Remove(peers[0], out var promoted));
        Assert.Equal(peers[2], promoted?.PeerId);
        Assert.Equal("3.3.0.0/16", table.Find(peers[2])?.IpGroupKey);
        Assert.Equal(1, table.CountInGroup("3.3.0.0/16"));
    }

    [Fact]
    public void Limits_below_one_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RoutingTable(Local) { Diversity = new IpDiversityLimits(0, 3) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RoutingTable(Local) { Diversity = new IpDiversityLimits(2, 0) });
    }

    private static List<PeerId> PeersInBucket(RoutingTable table, int cpl, int count, int seed)
    {
        var random = new Random(seed);
        var peers = new List<PeerId>();
        while (peers.Count < count)
        {
            var peer = RandomPeers.Next(random);
            if (table.BucketOf(peer) == cpl)
            {
                peers.Add(peer);
            }
        }
        return peers;
    }
}
