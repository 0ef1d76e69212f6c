using Dione.Libp2p.Multiformats;

namespace Dione.Libp2p.Tests.Multiformats;

/// <summary>Multihash parsing: exact length, truncation, trailing bytes, size caps and value equality.</summary>
public class MultihashTests
{
    [Fact]
    public void Sha256_of_foo_matches_the_multihash_spec_example()
    {
        // multiformats/multihash README: sha2-256 of "foo".
        var expected = Convert.FromHexString("12202c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae");

        Assert.Equal(expected, Multihash.Sha256("foo"u8));
        var parsed = Multihash.Parse(expected);
        Assert.Equal(MultihashCode.Sha2_256, parsed.Code);
        Assert.True(parsed.IsFullSha256);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("1220")]
    [InlineData("12202c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7")]
    [InlineData("12202c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7aeff")]
    [InlineData("1221" + "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7aeff")]
    [InlineData("00ffffffffffffffff7f")]
    [InlineData("008108" + "00")]
    public void Malformed_multihash_is_a_format_error(string hex) =>
        Assert.Throws<FormatException>(() => Multihash.Parse(Convert.FromHexString(hex)));

    [Fact]
    public void Truncated_sha256_digest_is_a_valid_multihash()
    {
        var truncated = Convert.FromHexString("12142c26b46b68ffc68ff99b453c1d30413413422d70");

        var parsed = Multihash.Parse(truncated);

        Assert.Equal(20, parsed.Digest.Length);
        Assert.False(parsed.IsFullSha256);
    }

    [Fact]
    public void Multihashes_with_equal_bytes_are_equal()
    {
        var a = Multihash.Parse(Multihash.Sha256("foo"u8));
        var b = Multihash.Parse(Multihash.Sha256("foo"u8));

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, Multihash.Parse(Multihash.Sha256("bar"u8)));
    }

    [Fact]
    public void Prefix_parse_reports_consumed_length()
    {
        byte[] bytes = [.. Multihash.Sha256("foo"u8), 0xaa, 0xbb];

        Multihash.ParsePrefix(bytes, out var consumed);

        Assert.Equal(34, consumed);
    }
}
