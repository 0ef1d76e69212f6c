using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Messenger.Node;
using Dione.Messenger.Tests.TestSupport;
using Dione.TestSupport;

namespace Dione.Messenger.Tests.Node;

public sealed class BootstrapKeeperTests
{
    [Fact]
    public async Task A_node_whose_bootstrap_peer_was_not_up_joins_once_it_is()
    {
        var ct = Timeouts.Token();
        await using var swarm = await MailboxSwarm.StartAsync(1, replication: 1, ct);
        var first = swarm.Nodes[0];
        await using var gate = new TcpGate(first.Host.ListenAddresses[0].ToTcpEndPoint()!);
        var options = first.Options with
        {
            DatabasePath = ":memory:",
            BootstrapPeers = [Multiaddress.Parse($"/ip4/127.0.0.1/tcp/{gate.Port}/p2p/{first.Host.PeerId}")],
            KeepJoined = true,
        };
        await using var late = new DioneNode(options);
        await late.StartAsync(ct);

        Assert.Equal(0, await late.JoinAsync(ct));
        Assert.Equal(0, late.Overlay.Dht.RoutingTable.Count);

        gate.Open();
        await Eventually.TrueAsync(() => late.Overlay.Dht.RoutingTable.Count > 0, ct);
    }
}
