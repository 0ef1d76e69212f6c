using Dione.Kademlia;
using Dione.Libp2p.Host;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Tests.TestSupport;

namespace Dione.Messenger.Tests.Mailbox;

/// <summary>Dione nodes that share no overlay peer meet through the rendezvous key on a public DHT.</summary>
public sealed class RendezvousTests
{
    [Fact]
    public async Task TwoDioneNodesFindEachOtherThroughAPublicDhtPeerThatIsNotDione()
    {
        var ct = Timeouts.Token();
        await using var publicHost = new Libp2pHostBuilder().ListenOn("/ip4/127.0.0.1/tcp/0").Build();
        await publicHost.StartAsync(ct);
        await using var publicPeer = new KademliaDht(publicHost, new KademliaDhtOptions { Mode = DhtMode.Server, Kad = new KadOptions { AllowPrivateAddresses = true } });
        await publicPeer.StartAsync(ct);
        var publicAddress = publicHost.ListenAddresses[0].WithPeerId(publicHost.PeerId);

        await using var alice = await DioneNodeAsync(publicAddress, ct);
        await using var bob = await DioneNodeAsync(publicAddress, ct);

        // Each node's service announces the rendezvous key and looks it up as it starts; the later one finds the earlier.
        await WaitForAsync(() => bob.Mailbox.Overlay.Dht.RoutingTable.Contains(alice.Host.PeerId), ct);
        await WaitForAsync(() => alice.Mailbox.Overlay.Dht.RoutingTable.Contains(bob.Host.PeerId), ct);

        var key = alice.Mailbox.Overlay.Options.RendezvousKey;
        var carried = (await publicPeer.GetLocalProvidersAsync(key, ct)).Select(p => p.PeerId).ToHashSet();
        Assert.True(carried.SetEquals([alice.Host.PeerId, bob.Host.PeerId]));
        Assert.False(bob.Mailbox.Overlay.Dht.RoutingTable.Contains(publicHost.PeerId));
        Assert.False(publicPeer.RoutingTable.Contains(alice.Host.PeerId));
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken ct)
    {
        while (!condition())
        {
            await Task.Delay(20, ct);
        }
    }

    private static async Task<DioneNode> DioneNodeAsync(Libp2p.Multiformats.Multiaddr.Multiaddress publicPeer, CancellationToken ct)
    {
        var host = new Libp2pHostBuilder().ListenOn("/ip4/127.0.0.1/tcp/0").Build();
        await host.StartAsync(ct);
        // Clients of the public DHT are never handed out in its FIND_NODE replies, so the only way these two can
        // learn of each other is the rendezvous provider record the public peer carries.
        var dht = new KademliaDht(host, new KademliaDhtOptions { Mode = DhtMode.Client, Kad = new KadOptions { AllowPrivateAddresses = true } });
        await dht.StartAsync(ct);
        await dht.BootstrapAsync([publicPeer], ct);
        var mailbox = await MailboxService.StartAsync(host, dht, new MailboxServiceOptions(), cancellationToken: ct);
        return new DioneNode(host, dht, mailbox);
    }

    private sealed record DioneNode(Libp2pHost Host, KademliaDht Dht, MailboxService Mailbox) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Mailbox.DisposeAsync();
            await Dht.DisposeAsync();
            await Host.DisposeAsync();
        }
    }
}
