using Dione.Kademlia.Bootstrap;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Tests.Transport.Dnsaddr;
using Dione.Libp2p.Transport.Dnsaddr;

namespace Dione.Kademlia.Tests.Bootstrap;

public class BootstrapPeersTests
{
    private const string Mars = "QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ";
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(10);

    private static string[] Texts(IEnumerable<Multiaddress> addresses) => [.. addresses.Select(a => a.ToString())];

    [Fact]
    public void Default_list_is_kubos()
    {
        Assert.Equal(7, BootstrapPeers.Default.Count);
        Assert.Equal(BootstrapPeers.DefaultText, BootstrapPeers.Default.Select(a => a.ToString()));
        Assert.Equal(5, BootstrapPeers.Default.Count(DnsaddrResolver.IsDnsaddr));
        Assert.Equal(6, BootstrapPeers.Default.Select(a => a.PeerId).Distinct().Count());
        Assert.Contains(BootstrapPeers.Default, a => a.ToString() == "/ip4/104.131.131.82/udp/4001/quic-v1/p2p/QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ");
    }

    [Fact]
    public async Task Default_list_resolves_to_peer_groups()
    {
        var txt = FakeTxtResolver.SpecExample();
        var extra = new[]
        {
            Multiaddress.Parse($"/ip4/104.131.131.82/tcp/4001/p2p/{Mars}"), // duplicate of a default entry
            Multiaddress.Parse("/ip4/9.9.9.9/tcp/4001"),                    // no peer id: dropped
            Multiaddress.Parse($"/p2p/{FakeTxtResolver.Sjc}"),              // nothing to dial: dropped
        };

        var peers = await BootstrapPeers.ResolveAsync(new DnsaddrResolver(txt), [.. BootstrapPeers.Default, .. extra], null, CancellationToken.None)
            .WaitAsync(TestTimeout);

        Assert.Equal(
            [FakeTxtResolver.Sjc, FakeTxtResolver.Ewr, FakeTxtResolver.Ams, FakeTxtResolver.Nrt, FakeTxtResolver.Va1, Mars],
            peers.Select(p => p.Id.ToString()).ToArray());
        var byId = peers.ToDictionary(p => p.Id.ToString(), p => Texts(p.Addresses));
        Assert.Equal(["/ip4/147.75.69.143/tcp/4001", "/ip6/2604:1380:1000:6000::1/tcp/4001"], byId[FakeTxtResolver.Sjc]);
        Assert.Equal(["/ip4/3.3.3.3/tcp/4001", "/ip4/3.3.3.3/udp/4001/quic-v1"], byId[FakeTxtResolver.Va1]);
        Assert.Equal(["/ip4/104.131.131.82/tcp/4001", "/ip4/104.131.131.82/udp/4001/quic-v1"], byId[Mars]);
        Assert.Equal(PeerId.Parse(Mars), peers[^1].Id);
        // bootstrap.libp2p.io is looked up once for its four peers; six names in all.
        Assert.Equal(6, txt.Queries.Count);
        Assert.Single(txt.Queries, q => q == "_dnsaddr.bootstrap.libp2p.io");
    }

    [Fact]
    public async Task Addresses_per_peer_are_capped_by_the_resolver_bound()
    {
        var many = Enumerable.Range(0, 10).Select(i => Multiaddress.Parse($"/ip4/10.0.0.{i}/tcp/1/p2p/{Mars}"));
        var resolver = new DnsaddrResolver(new FakeTxtResolver(), new DnsaddrResolverOptions { MaxResults = 3 });

        var peer = Assert.Single(await BootstrapPeers.ResolveAsync(resolver, many, null, CancellationToken.None).WaitAsync(TestTimeout));

        Assert.Equal(["/ip4/10.0.0.0/tcp/1", "/ip4/10.0.0.1/tcp/1", "/ip4/10.0.0.2/tcp/1"], Texts(peer.Addresses));
    }
}
