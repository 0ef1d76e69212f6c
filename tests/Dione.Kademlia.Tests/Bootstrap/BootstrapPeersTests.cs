using Dione.Kademlia.Bootstrap;

namespace Dione.Kademlia.Tests.Bootstrap;

public class BootstrapPeersTests
{
    [Fact]
    public void Default_list_is_kubos()
    {
        Assert.Equal(7, BootstrapPeers.Default.Count);
        Assert.Equal(BootstrapPeers.DefaultText, BootstrapPeers.Default.Select(a => a.ToString()));
        Assert.Equal(5, BootstrapPeers.Default.Count(DnsaddrResolver.IsDnsaddr));
        Assert.Equal(6, BootstrapPeers.Default.Select(a => a.PeerId).Distinct().Count());
        Assert.Contains(BootstrapPeers.Default, a => a.ToString() == "/ip4/104.131.131.82/udp/4001/quic-v1/p2p/QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ");
    }
}
