using Dione.Kademlia.Tests.TestSupport;
using Dione.Libp2p.Identity;

namespace Dione.Kademlia.Tests;

public class RoutingTableTests
{
    [Fact]
    public void Nearest_peers_equal_a_brute_force_sort_over_thousands_of_peers()
    {
        var local = RandomPeers.Next(new Random(10));
        var table = new RoutingTable(local);
        foreach (var peer in RandomPeers.Many(11, 5000))
        {
            table.TryAdd(peer);
        }
        var members = table.GetAll();
        var random = new Random(12);
        for (var i = 0; i < 300; i++)
        {
            // Random targets, our own id, ids near ours (high CPL), and members themselves.
            var target = (i % 4) switch
            {
                0 => KadId.FromPeerId(RandomPeers.Next(random)),
                1 => table.LocalId,
                2 => table.RandomIdInBucket(random.Next(12)),
                _ => members[random.Next(members.Count)].Id,
            };
            var count = random.Next(1, 60);
            var expected = members.OrderBy(e => e.Id.Xor(target)).Take(count).Select(e => e.PeerId).ToList();

            var actual = table.NearestPeers(target, count).Select(e => e.PeerId).ToList();

            Assert.Equal(expected, actual);
        }
        Assert.Equal(members.Count, table.NearestPeers(table.LocalId, 100_000).Count);
        Assert.Empty(table.NearestPeers(table.LocalId, 0));
    }

    [Fact]
    public void Buckets_never_exceed_k_and_count_matches_membership()
    {
        var local = RandomPeers.Next(new Random(20));
        var table = new RoutingTable(local, bucketSize: 20, replacementCacheSize: 5);
        var peers = RandomPeers.Many(21, 4000);
        var statuses = peers.Select(p => table.TryAdd(p).Status).ToList();

        var total = 0;
        for (var cpl = 0; cpl < RoutingTable.BucketCount; cpl++)
        {
            var bucket = table.GetBucket(cpl);
            Assert.True(bucket.Count <= 20);
            Assert.True(table.GetReplacements(cpl).Count <= 5);
            Assert.All(bucket, e => Assert.Equal(cpl, table.LocalId.CommonPrefixLength(e.Id)));
            total += bucket.Count;
        }
        Assert.Equal(total, table.Count);
        Assert.Equal(statuses.Count(s => s == RoutingTableAddStatus.Added), table.Count);
        // Half of all random peers fall in bucket 0, a quarter in bucket 1...: the low buckets are full.
        Assert.Equal(20, table.GetBucket(0).Count);
        Assert.Equal(5, table.GetReplacements(0).Count);
        Assert.Contains(RoutingTableAddStatus.BucketFull, statuses);
    }

    [Fact]
    public void A_full_bucket_parks_the_newcomer_and_names_the_least_recently_seen_member()
    {
        var time = new ManualTimeProvider();
        var local = RandomPeers.Next(new Random(30));
        var table = new RoutingTable(local, bucketSize: 3, replacementCacheSize: 2, timeProvider: time);
        var bucket0 = InBucket(table, 0, 6, seed: 31);
        foreach (var peer in bucket0.Take(3))
        {
            Assert.Equal(RoutingTableAddStatus.Added, table.TryAdd(peer).Status);
            time.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.True(table.MarkSeen(bucket0[0]));
        time.Advance(TimeSpan.FromSeconds(1));

        var full = table.TryAdd(bucket0[3]);

        Assert.Equal(RoutingTableAddStatus.BucketFull, full.Status);
        Assert.Equal(bucket0[1], full.EvictionCandidate!.PeerId); // peer 0 was seen again after peer 1
        Assert.False(table.Contains(bucket0[3]));
        Assert.Equal([bucket0[3]], table.GetReplacements(0).Select(e => e.PeerId));
        Assert.Equal(RoutingTableAddStatus.AlreadyPresent, table.TryAdd(bucket0[0]).Status);
    }

    [Fact]
    public void Removing_a_member_promotes_the_freshest_replacement()
    {
        var time = new ManualTimeProvider();
        var table = new RoutingTable(RandomPeers.Next(new Random(40)), bucketSize: 2, replacementCacheSize: 2, timeProvider: time);
        var peers = InBucket(table, 0, 6, seed: 41);
        table.TryAdd(peers[0]);
        table.TryAdd(peers[1]);
        table.TryAdd(peers[2]); // replacement
        table.TryAdd(peers[3]); // replacement
        table.TryAdd(peers[4]); // replacement: the oldest offer (peer 2) is dropped
        time.Advance(TimeSpan.FromMinutes(1));
        table.TryAdd(peers[3]); // offered again: now the freshest

        Assert.Equal([peers[4], peers[3]], table.GetReplacements(0).Select(e => e.PeerId));
        Assert.True(table.Remove(peers[0], out var promoted));

        Assert.Equal(peers[3], promoted!.PeerId);
        Assert.True(table.Contains(peers[3]));
        Assert.Equal(time.GetUtcNow(), table.Find(peers[3])!.AddedAt);
        Assert.Equal([peers[4]], table.GetReplacements(0).Select(e => e.PeerId));
        Assert.Equal(2, table.Count);

        Assert.True(table.Remove(peers[1]));
        Assert.True(table.Contains(peers[4]));
        Assert.Empty(table.GetReplacements(0));
        Assert.True(table.Remove(peers[3]));
        Assert.Equal(1, table.Count);
        Assert.False(table.Remove(peers[3]));
    }

    [Fact]
    public void Removing_a_replacement_drops_it_from_the_cache_only()
    {
        var table = new RoutingTable(RandomPeers.Next(new Random(50)), bucketSize: 1, replacementCacheSize: 4);
        var peers = InBucket(table, 0, 3, seed: 51);
        table.TryAdd(peers[0]);
        table.TryAdd(peers[1]);

        Assert.False(table.Remove(peers[1]));
        Assert.Empty(table.GetReplacements(0));
        Assert.True(table.Remove(peers[0], out var promoted));
        Assert.Null(promoted);
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void Entries_record_when_added_and_last_seen()
    {
        var time = new ManualTimeProvider();
        var table = new RoutingTable(RandomPeers.Next(new Random(60)), timeProvider: time);
        var peer = RandomPeers.Next(new Random(61));
        var added = time.GetUtcNow();
        table.TryAdd(peer);
        time.Advance(TimeSpan.FromMinutes(5));

        Assert.True(table.MarkSeen(peer));

        var entry = table.Find(peer)!;
        Assert.Equal(added, entry.AddedAt);
        Assert.Equal(added + TimeSpan.FromMinutes(5), entry.LastSeen);
        Assert.Equal(KadId.FromPeerId(peer), entry.Id);
        Assert.False(table.MarkSeen(RandomPeers.Next(new Random(62))));
    }

    [Fact]
    public void Our_own_id_is_never_added()
    {
        var local = RandomPeers.Next(new Random(70));
        var table = new RoutingTable(local);

        Assert.Equal(RoutingTableAddStatus.Rejected, table.TryAdd(local).Status);
        Assert.Equal(0, table.Count);
        Assert.False(table.Remove(local));
        Assert.Equal(256, table.BucketOf(local));
    }

    [Fact]
    public void Buckets_due_for_refresh_follow_the_clock()
    {
        var time = new ManualTimeProvider();
        var table = new RoutingTable(RandomPeers.Next(new Random(80)), timeProvider: time);
        Assert.Equal([0], table.BucketsNotRefreshedSince(TimeSpan.FromMinutes(10)));
        foreach (var peer in InBucket(table, 4, 1, seed: 81))
        {
            table.TryAdd(peer);
        }
        Assert.Equal(4, table.HighestOccupiedBucket);
        Assert.Equal([0, 1, 2, 3, 4], table.BucketsNotRefreshedSince(TimeSpan.FromMinutes(10)));

        table.MarkRefreshed(0);
        table.MarkRefreshed(table.RandomIdInBucket(3));
        time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal([1, 2, 4], table.BucketsNotRefreshedSince(TimeSpan.FromMinutes(10)));
        Assert.Equal([1], table.BucketsNotRefreshedSince(TimeSpan.FromMinutes(10), maxCpl: 1));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal([0, 1, 2, 3, 4], table.BucketsNotRefreshedSince(TimeSpan.FromMinutes(10)));
        Assert.Equal(time.GetUtcNow() - TimeSpan.FromMinutes(11), table.LastRefreshed(3));
        Assert.Null(table.LastRefreshed(2));
    }

    [Fact]
    public void Refresh_keys_land_in_the_bucket()
    {
        var table = new RoutingTable(RandomPeers.Next(new Random(90)));
        for (var cpl = 0; cpl <= 10; cpl++)
        {
            Assert.True(table.TryRandomPeerIdInBucket(cpl, out var peer));
            Assert.Equal(cpl, table.BucketOf(peer!));
            Assert.Equal(cpl, table.LocalId.CommonPrefixLength(table.RandomIdInBucket(cpl)));
        }
    }

    [Fact]
    public async Task Concurrent_adds_removes_and_queries_keep_the_table_consistent()
    {
        var table = new RoutingTable(RandomPeers.Next(new Random(100)), bucketSize: 20, replacementCacheSize: 20);
        var peers = RandomPeers.Many(101, 4000);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            var random = new Random(worker);
            for (var i = 0; i < 20_000; i++)
            {
                var peer = peers[random.Next(peers.Count)];
                switch (random.Next(4))
                {
                    case 0:
                    case 1:
                        table.TryAdd(peer);
                        break;
                    case 2:
                        table.Remove(peer);
                        break;
                    default:
                        var nearest = table.NearestPeers(KadId.FromPeerId(peer), 20);
                        Assert.True(nearest.Count <= 20);
                        break;
                }
            }
        })));

        var members = table.GetAll();
        Assert.Equal(members.Count, table.Count);
        Assert.Equal(members.Count, members.Select(m => m.PeerId).Distinct().Count());
        for (var cpl = 0; cpl < RoutingTable.BucketCount; cpl++)
        {
            var bucket = table.GetBucket(cpl);
            Assert.True(bucket.Count <= 20);
            Assert.All(table.GetReplacements(cpl), r => Assert.False(table.Contains(r.PeerId)));
        }
        Assert.Equal(members.Count, Enumerable.Range(0, RoutingTable.BucketCount).Sum(c => table.GetBucket(c).Count));
    }

    /// <summary>Random peers whose ids fall in bucket <paramref name="cpl"/> of <paramref name="table"/>.</summary>
    private static List<PeerId> InBucket(RoutingTable table, int cpl, int count, int seed)
    {
        var random = new Random(seed);
        var found = new List<PeerId>();
        while (found.Count < count)
        {
            var peer = RandomPeers.Next(random);
            if (table.BucketOf(peer) == cpl)
            {
                found.Add(peer);
            }
        }
        return found;
    }
}
