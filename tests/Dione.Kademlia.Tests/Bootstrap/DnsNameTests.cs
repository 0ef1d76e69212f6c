using Dione.Kademlia.Bootstrap;

namespace Dione.Kademlia.Tests.Bootstrap;

public class DnsNameTests
{
    [Theory]
    [InlineData("example.com", "076578616d706c6503636f6d00")]
    [InlineData("example.com.", "076578616d706c6503636f6d00")]
    [InlineData("_dnsaddr.A-1", "085f646e736164647203412d3100")]
    public void Encodes_labels(string name, string hex)
    {
        Assert.Equal(Convert.FromHexString(hex), DnsName.Encode(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("a..b")]
    [InlineData(".a")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("a\\.b")]
    [InlineData("é.example")]
    [InlineData("a\0b")]
    public void Refuses_names_that_are_not_plain_hostnames(string name)
    {
        Assert.Throws<ArgumentException>(() => DnsName.Encode(name));
    }

    [Fact]
    public void Refuses_long_labels_and_names()
    {
        DnsName.Encode(new string('a', 63));
        Assert.Throws<ArgumentException>(() => DnsName.Encode(new string('a', 64)));
        var longest = string.Join('.', Enumerable.Repeat(new string('a', 63), 3)) + "." + new string('a', 61); // 253 characters
        Assert.Equal(255, DnsName.Encode(longest).Length);
        Assert.Throws<ArgumentException>(() => DnsName.Encode(longest + "a"));
    }

    [Fact]
    public void Canonical_form_is_lower_case_without_the_trailing_dot()
    {
        Assert.Equal("_dnsaddr.example.com", DnsName.Canonical("_DNSADDR.Example.COM."));
    }
}
