using System.Diagnostics;
using Dione.Libp2p.Identity;

namespace Dione.Kademlia.Tests;

public class BucketKeyGeneratorTests
{
    [Fact]
    public void Random_ids_land_in_every_bucket_asked_for()
    {
        var local = KadId.FromKey("local"u8);
        for (var cpl = 0; cpl < KadId.Bits; cpl++)
        {
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(cpl, BucketKeyGenerator.RandomIdInBucket(local, cpl).CommonPrefixLength(local));
            }
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => BucketKeyGenerator.RandomIdInBucket(local, 256));
    }

    [Fact]
    public void Random_peer_ids_hash_into_buckets_0_to_15_quickly()
    {
        var local = KadId.FromKey("local"u8);
        var watch = Stopwatch.StartNew();
        for (var cpl = 0; cpl <= BucketKeyGenerator.MaxRefreshableCpl; cpl++)
        {
            Assert.True(BucketKeyGenerator.TryRandomPeerIdInBucket(local, cpl, out var peer));
            Assert.Equal(cpl, KadId.FromPeerId(peer!).CommonPrefixLength(local));
            // A valid sha2-256 peer id, as go's refresh keys are.
            Assert.Equal(peer, PeerId.FromBytes(peer!.Bytes));
            Assert.Equal(34, peer.Bytes.Length);
        }
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public void The_search_gives_up_after_its_bound()
    {
        var local = KadId.FromKey("local"u8);

        Assert.False(BucketKeyGenerator.TryRandomPeerIdInBucket(local, 200, out var peer, maxTries: 1000));
        Assert.Null(peer);
        Assert.False(BucketKeyGenerator.TryRandomPeerIdInBucket(local, 0, out _, maxTries: 0));
    }

    [Fact]
    public void Two_searches_give_different_ids()
    {
        var local = KadId.FromKey("local"u8);
        Assert.True(BucketKeyGenerator.TryRandomPeerIdInBucket(local, 3, out var a));
        Assert.True(BucketKeyGenerator.TryRandomPeerIdInBucket(local, 3, out var b));
        Assert.NotEqual(a, b);
    }
}
