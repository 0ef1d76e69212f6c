using System.Buffers.Binary;
using System.Security.Cryptography;
using Dione.Kademlia.Tests.TestSupport;
using Dione.Libp2p.Identity;

namespace Dione.Kademlia.Tests;

/// <summary>The precomputed prefix table behind refresh keys, and the keys taken from it.</summary>
public class BucketPrefixTableTests
{
    [Fact]
    public void The_table_holds_the_smallest_counter_for_every_prefix_as_a_fresh_computation_finds()
    {
        var expected = new uint?[1 << BucketPrefixTable.PrefixBits];
        var missing = expected.Length;
        Span<byte> hash = stackalloc byte[32];
        for (var counter = 0u; missing > 0; counter++)
        {
            SHA256.HashData(BucketPrefixTable.PeerIdBytes(counter), hash);
            var prefix = BinaryPrimitives.ReadUInt16BigEndian(hash);
            if (expected[prefix] is null)
            {
                expected[prefix] = counter;
                missing--;
            }
        }

        for (var prefix = 0; prefix < expected.Length; prefix++)
        {
            Assert.Equal(expected[prefix], BucketPrefixTable.CounterFor(prefix));
        }
    }

    [Fact]
    public void The_table_agrees_with_go_libp2p_kbucket_at_its_ends_and_its_largest_entry()
    {
        uint[] first = [77591, 94053, 60620, 45849, 22417, 13238, 102507, 179931, 43971, 15812, 24466, 64694, 28421, 80794, 13447, 118511];
        uint[] last = [35963, 49566, 21279, 91399, 94216, 64873, 68891, 55512, 45590, 3382, 26979, 72069, 97782, 126859, 187860, 246200];

        Assert.Equal(first, Enumerable.Range(0, 16).Select(BucketPrefixTable.CounterFor));
        Assert.Equal(last, Enumerable.Range(65536 - 16, 16).Select(BucketPrefixTable.CounterFor));
        Assert.Equal(753014u, BucketPrefixTable.CounterFor(38001));
        Assert.Throws<ArgumentOutOfRangeException>(() => BucketPrefixTable.CounterFor(65536));
    }

    [Fact]
    public void Table_keys_are_sha256_peer_ids_in_the_bucket_asked_for()
    {
        var random = new Random(70);
        for (var i = 0; i < 50; i++)
        {
            var local = KadId.FromPeerId(RandomPeers.Next(random));
            for (var cpl = 0; cpl <= BucketKeyGenerator.MaxRefreshableCpl; cpl++)
            {
                var peer = BucketKeyGenerator.PeerIdInBucket(local, cpl, random);
                Assert.Equal(cpl, KadId.FromPeerId(peer).CommonPrefixLength(local));
                Assert.Equal(34, peer.Bytes.Length);
                Assert.Equal(0x12, peer.Bytes[0]);
            }
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => BucketKeyGenerator.PeerIdInBucket(KadId.FromKey("x"u8), 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => BucketKeyGenerator.PeerIdInBucket(KadId.FromKey("x"u8), -1));
    }

    [Fact]
    public void Bucket_cpl_offers_two_to_the_power_15_minus_cpl_ids_and_the_table_drives_the_routing_tables_refresh_keys()
    {
        var local = KadId.FromKey("local"u8);
        var random = new Random(71);
        Assert.Single(Enumerable.Range(0, 50).Select(_ => BucketKeyGenerator.PeerIdInBucket(local, 15, random)).Distinct());
        Assert.Equal(8, Enumerable.Range(0, 400).Select(_ => BucketKeyGenerator.PeerIdInBucket(local, 12, random)).Distinct().Count());

        var table = new RoutingTable(RandomPeers.Next(new Random(72)));
        Assert.True(table.TryRandomPeerIdInBucket(15, out var fromTable, maxTries: 0));
        Assert.Equal(15, table.BucketOf(fromTable!));
        Assert.Equal(fromTable, BucketKeyGenerator.PeerIdInBucket(table.LocalId, 15));
        Assert.False(table.TryRandomPeerIdInBucket(16, out _, maxTries: 0));
    }
}
