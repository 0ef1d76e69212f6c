using System.Net;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Libp2p.Tests.Multiformats;

/// <summary>Endpoint conversion, peer id handling and composition of multiaddrs.</summary>
public class MultiaddressBehaviourTests
{
    [Theory]
    [InlineData("127.0.0.1", 4001, "/ip4/127.0.0.1/tcp/4001")]
    [InlineData("::1", 0, "/ip6/::1/tcp/0")]
    [InlineData("::ffff:10.0.0.1", 80, "/ip4/10.0.0.1/tcp/80")]
    [InlineData("fe80::1%3", 443, "/ip6zone/3/ip6/fe80::1/tcp/443")]
    public void Tcp_endpoint_converts_both_ways(string ip, int port, string expected)
    {
        var endPoint = new IPEndPoint(IPAddress.Parse(ip), port);

        var address = Multiaddress.FromTcpEndPoint(endPoint);
        var back = address.ToTcpEndPoint();

        Assert.Equal(expected, address.ToString());
        Assert.NotNull(back);
        Assert.Equal(port, back.Port);
        var expectedAddress = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        Assert.Equal(expectedAddress, back.Address);
        if (expectedAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            Assert.Equal(expectedAddress.ScopeId, back.Address.ScopeId);
        }
    }

    [Theory]
    [InlineData("/ip4/1.2.3.4/udp/4001")]
    [InlineData("/dns4/example.com/tcp/4001")]
    [InlineData("/ip4/1.2.3.4")]
    [InlineData("/ip6zone/3/ip4/1.2.3.4/tcp/1")]
    public void Non_tcp_ip_address_has_no_endpoint(string text) =>
        Assert.Null(Multiaddress.Parse(text).ToTcpEndPoint());

    [Fact]
    public void Tcp_endpoint_ignores_components_after_the_port()
    {
        var endPoint = Multiaddress.Parse("/ip4/1.2.3.4/tcp/4001/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN").ToTcpEndPoint();

        Assert.Equal(new IPEndPoint(IPAddress.Parse("1.2.3.4"), 4001), endPoint);
    }

    [Fact]
    public void Peer_id_is_read_from_the_last_p2p_component_and_can_be_replaced()
    {
        var relay = PeerId.Parse("QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN");
        var target = PeerId.Parse("12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV");
        var address = Multiaddress.Parse($"/ip4/1.2.3.4/tcp/4001/p2p/{relay}/p2p-circuit/p2p/{target}");

        Assert.Equal(target, address.PeerId);
        Assert.Equal($"/ip4/1.2.3.4/tcp/4001/p2p/{relay}/p2p-circuit", address.WithoutPeerId().ToString());
        Assert.Equal($"/ip4/1.2.3.4/tcp/4001/p2p/{relay}/p2p-circuit/p2p/{relay}", address.WithPeerId(relay).ToString());
        Assert.Null(Multiaddress.Parse("/ip4/1.2.3.4/tcp/1").PeerId);
    }

    [Fact]
    public void Encapsulation_concatenates_components()
    {
        var outer = Multiaddress.Parse("/ip4/127.0.0.1/udp/1234");
        var inner = Multiaddress.Parse("/udp/5678");

        var joined = outer.Encapsulate(inner);

        Assert.Equal("/ip4/127.0.0.1/udp/1234/udp/5678", joined.ToString());
        Assert.Equal(joined, Multiaddress.FromComponents(joined.Components));
        Assert.Equal([.. outer.ToBytes(), .. inner.ToBytes()], joined.ToBytes());
    }

    [Fact]
    public void Components_expose_protocol_and_value_text()
    {
        var address = Multiaddress.Parse("/dns4/example.com/tcp/443/wss");

        Assert.Equal(["dns4", "tcp", "wss"], address.Components.Select(c => c.Protocol.Name));
        Assert.Equal(["example.com", "443", null], address.Components.Select(c => c.ValueText));
        Assert.Same(MultiaddrProtocols.P2p, MultiaddrProtocols.FindByName("ipfs"));
        Assert.Same(MultiaddrProtocols.QuicV1, MultiaddrProtocols.FindByCode(461));
        Assert.Same(MultiaddrProtocols.Quic, MultiaddrProtocols.FindByCode(460));
        Assert.Same(MultiaddrProtocols.CertHash, MultiaddrProtocols.FindByCode(466));
    }

    [Fact]
    public void Protocol_table_has_unique_codes_and_names()
    {
        var protocols = MultiaddrProtocols.Supported;

        Assert.Equal(protocols.Count, protocols.Select(p => p.Code).Distinct().Count());
        Assert.Equal(protocols.Count, protocols.Select(p => p.Name).Distinct().Count());
        Assert.All(protocols, p => Assert.Same(p, MultiaddrProtocols.FindByCode(p.Code)));
        Assert.All(protocols, p => Assert.Equal(p.HasValue, p.SizeInBits != 0));
    }
}
