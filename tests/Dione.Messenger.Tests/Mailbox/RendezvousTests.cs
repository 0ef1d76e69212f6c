using Dione.Kademlia;
using Dione.Kademlia.Dht;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Messenger.Node;
using Dione.Messenger.Tests.TestSupport;

namespace Dione.Messenger.Tests.Mailbox;

/// <summary>Dione nodes that share no overlay peer meet through the rendezvous key on a public DHT.</summary>
public sealed class RendezvousTests
{
    [Fact]
    public async Task Two_dione_nodes_find_each_other_through_a_public_dht_peer_that_is_not_dione()
    {
        var ct = Timeouts.Token();
        // A public DHT server that is no Dione node: no mailbox, no messenger.
        await using var publicNode = new DioneNode(new DioneNodeOptions
        {
            ListenAddresses = [Multiaddress.Parse("/ip4/127.0.0.1/tcp/0")],
            Dht = new KademliaDhtOptions { Mode = DhtMode.Server, Kad = new KadOptions { AllowPrivateAddresses = true } },
            RunMailbox = false,
            RunMessenger = false,
        });
        await publicNode.StartAsync(ct);
        var publicHost = publicNode.Host;
        var publicPeer = publicNode.Dht;
        var publicAddress = publicNode.DialAddress;

        await using var alice = await DioneNodeAsync(publicAddress, ct);
        await using var bob = await DioneNodeAsync(publicAddress, ct);

        // Each node announces the rendezvous key and looks it up as it joins; the later one finds the earlier.
        await Eventually.TrueAsync(() => bob.Mailbox.Overlay.Dht.RoutingTable.Contains(alice.Host.PeerId), ct);
        await Eventually.TrueAsync(() => alice.Mailbox.Overlay.Dht.RoutingTable.Contains(bob.Host.PeerId), ct);

        var key = alice.Mailbox.Overlay.Options.RendezvousKey;
        var carried = (await publicPeer.GetLocalProvidersAsync(key, ct)).Select(p => p.PeerId).ToHashSet();
        Assert.True(carried.SetEquals([alice.Host.PeerId, bob.Host.PeerId]));
        Assert.False(bob.Mailbox.Overlay.Dht.RoutingTable.Contains(publicHost.PeerId));
        Assert.False(publicPeer.RoutingTable.Contains(alice.Host.PeerId));
    }

    private static async Task<DioneNode> DioneNodeAsync(Multiaddress publicPeer, CancellationToken ct)
    {
        // Clients of the public DHT are never handed out in its FIND_NODE replies, so the only way these two can
        // learn of each other is the rendezvous provider record the public peer carries.
        var node = new DioneNode(new DioneNodeOptions
        {
            ListenAddresses = [Multiaddress.Parse("/ip4/127.0.0.1/tcp/0")],
            BootstrapPeers = [publicPeer],
            Dht = new KademliaDhtOptions { Mode = DhtMode.Client, Kad = new KadOptions { AllowPrivateAddresses = true } },
            RunMessenger = false,
        });
        await node.StartAsync(ct);
        await node.JoinAsync(ct);
        return node;
    }
}
