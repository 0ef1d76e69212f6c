using System.Net;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Kademlia.Tests;

/// <summary>Which addresses the DHT learns and serves, and how peers are grouped by IP for the diversity limit.</summary>
public class KadAddressFilterTests
{
    [Theory]
    [InlineData("/ip4/8.8.8.8/tcp/4001", true, true)]
    [InlineData("/ip6/2001:4860::8888/udp/4001/quic-v1", true, true)]
    [InlineData("/dns4/example.com/tcp/443/tls/ws", true, true)]
    [InlineData("/ip4/127.0.0.1/tcp/4001", true, false)]
    [InlineData("/ip4/10.1.2.3/tcp/4001", true, false)]
    [InlineData("/ip4/192.168.1.9/udp/4001/quic-v1", true, false)]
    [InlineData("/ip6/::1/tcp/4001", true, false)]
    [InlineData("/ip6/fe80::1/tcp/4001", true, false)]
    [InlineData("/dns4/localhost/tcp/4001", true, false)]
    [InlineData("/ip4/0.0.0.0/tcp/4001", false, false)]
    [InlineData("/ip6/::/tcp/4001", false, false)]
    [InlineData("/ip4/224.0.0.251/udp/5353", false, false)]
    [InlineData("/ip4/239.255.255.250/udp/1900", false, false)]
    [InlineData("/ip4/255.255.255.255/udp/4001", false, false)]
    [InlineData("/ip6/ff02::1/udp/4001", false, false)]
    [InlineData("/ip4/8.8.8.8/tcp/0", false, false)]
    [InlineData("/ip4/8.8.8.8/udp/0/quic-v1", false, false)]
    [InlineData("/ip4/8.8.8.8", false, false)]
    [InlineData("/ip4/8.8.8.8/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA/p2p-circuit", false, false)]
    [InlineData("/p2p-circuit", false, false)]
    public void Addresses_are_usable_and_public_as_expected(string text, bool usable, bool publicToo)
    {
        var address = Multiaddress.Parse(text);

        Assert.Equal(usable, KadAddressFilter.IsUsable(address));
        Assert.Equal(usable, KadAddressFilter.IsAllowed(address, allowPrivate: true));
        Assert.Equal(publicToo, KadAddressFilter.IsAllowed(address, allowPrivate: false));
    }

    [Fact]
    public void Filter_keeps_the_allowed_addresses_in_order()
    {
        var addresses = new[] { "/ip4/0.0.0.0/tcp/1", "/ip4/10.0.0.1/tcp/1", "/ip4/5.6.7.8/tcp/1", "/ip4/127.0.0.1/tcp/1", "/ip4/9.9.9.9/udp/1/quic-v1" }
            .Select(Multiaddress.Parse).ToList();

        Assert.Equal(["/ip4/5.6.7.8/tcp/1", "/ip4/9.9.9.9/udp/1/quic-v1"], KadAddressFilter.Filter(addresses, allowPrivate: false).Select(a => a.ToString()));
        Assert.Equal(["/ip4/10.0.0.1/tcp/1", "/ip4/5.6.7.8/tcp/1", "/ip4/127.0.0.1/tcp/1", "/ip4/9.9.9.9/udp/1/quic-v1"],
            KadAddressFilter.Filter(addresses, allowPrivate: true).Select(a => a.ToString()));
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.0.0/16")]
    [InlineData("203.0.200.1", "203.0.0.0/16")]
    [InlineData("8.8.8.8", "8.8.0.0/16")]
    [InlineData("17.1.2.3", "17.0.0.0/8")]
    [InlineData("73.250.1.1", "73.0.0.0/8")]
    [InlineData("127.0.0.1", "127.0.0.0/16")]
    [InlineData("::ffff:203.0.113.7", "203.0.0.0/16")]
    [InlineData("2001:db8:1234::1", "2001:0db8::/32")]
    [InlineData("2a01:4f8::1", "2a01:04f8::/32")]
    public void Ip_groups_are_ipv4_16_legacy_class_a_8_and_ipv6_32(string ip, string group)
    {
        Assert.Equal(group, IpGroup.Of(IPAddress.Parse(ip)));
    }

    [Fact]
    public void The_ip_group_of_a_multiaddress_is_that_of_its_ip_and_none_without_one()
    {
        Assert.Equal("8.8.0.0/16", IpGroup.Of(Multiaddress.Parse("/ip4/8.8.4.4/tcp/4001")));
        Assert.Null(IpGroup.Of(Multiaddress.Parse("/dns4/example.com/tcp/4001")));
    }

    [Fact]
    public void Private_addresses_are_allowed_by_default_except_on_the_public_amino_dht()
    {
        Assert.False(new KadOptions().AllowsPrivateAddresses);
        Assert.True(new KadOptions { ProtocolId = KademliaDefaults.LanProtocolId }.AllowsPrivateAddresses);
        Assert.True(new KadOptions { ProtocolId = "/dione/kad/1.0.0" }.AllowsPrivateAddresses);
        Assert.True(new KadOptions { AllowPrivateAddresses = true }.AllowsPrivateAddresses);
        Assert.False(new KadOptions { ProtocolId = KademliaDefaults.LanProtocolId, AllowPrivateAddresses = false }.AllowsPrivateAddresses);
    }
}
