using Dione.Messaging.Envelopes;
using Dione.Messaging.Tests.Ratchet;

namespace Dione.Messaging.Tests.Envelopes;

public class PaddingBucketsTests
{
    [Fact]
    public void Buckets_match_the_committed_vector()
    {
        var v = VectorFile.Load("ratchet-padding.json");
        Assert.Equal(v.GetProperty("buckets").EnumerateArray().Select(b => b.GetInt32()), PaddingBuckets.Sizes);
        foreach (var c in v.GetProperty("cases").EnumerateArray())
        {
            var length = c.GetProperty("length").GetInt32();
            Assert.Equal(c.GetProperty("padded").GetInt32(), PaddingBuckets.BucketFor(length));
            var padded = PaddingBuckets.Pad(new byte[length]);
            Assert.Equal(c.GetProperty("padded").GetInt32(), padded.Length);
        }
        foreach (var tooLong in v.GetProperty("too_long").EnumerateArray())
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => PaddingBuckets.BucketFor(tooLong.GetInt32()));
        }
    }

    [Fact]
    public void Pad_then_unpad_round_trips_and_refuses_inconsistent_input()
    {
        var random = new Random(3);
        foreach (var length in new[] { 0, 17, 256, 300, 5000, 65536 })
        {
            var text = new byte[length];
            random.NextBytes(text);
            Assert.Equal(text, PaddingBuckets.Unpad(PaddingBuckets.Pad(text), length));
        }
        var padded = PaddingBuckets.Pad(new byte[10]);
        Assert.Throws<FormatException>(() => PaddingBuckets.Unpad(padded, 257)); // longer than the bucket
        Assert.Throws<FormatException>(() => PaddingBuckets.Unpad(PaddingBuckets.Pad(new byte[300]), 10)); // would fit a smaller bucket
        Assert.Throws<FormatException>(() => PaddingBuckets.Unpad(new byte[300], 10)); // not a bucket
        padded[200] = 1;
        Assert.Throws<FormatException>(() => PaddingBuckets.Unpad(padded, 10)); // non-zero fill
    }
}
