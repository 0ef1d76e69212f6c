using System.Text;
using Dione.Kademlia;
using Dione.Libp2p.Host;
using Dione.Libp2p.Multiformats;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Tests.TestSupport;
using Dione.TestSupport.Interop;

namespace Dione.Messenger.Tests.Interop;

/// <summary>
/// A js-libp2p kad-dht node (interop/js/dht-peer.mjs) plays the public DHT: it is the only peer two Dione nodes share,
/// and it carries their rendezvous provider records, so they find each other, form the overlay and exchange a message.
/// </summary>
[Collection(MessengerInteropCollection.Name)]
public sealed class JsRendezvousTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dione-messenger-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task AJsDhtNodeCarriesTheRendezvousBetweenTwoDioneNodes()
    {
        var ct = new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token;
        await using var js = await JsDhtPeer.StartAsync([], ct);
        var jsAddress = Multiaddress.Parse(js.Address);

        await using var alice = await DioneNodeAsync(jsAddress, ct);
        await using var bob = await DioneNodeAsync(jsAddress, ct);
        while (!bob.Mailbox.Overlay.Dht.RoutingTable.Contains(alice.Host.PeerId) || !alice.Mailbox.Overlay.Dht.RoutingTable.Contains(bob.Host.PeerId))
        {
            await Task.Delay(50, ct);
        }

        var carried = (await js.LocalProvidersAsync(RendezvousCid(alice.Mailbox))).GetProperty("providers").EnumerateArray()
            .Select(p => p.GetProperty("peerId").GetString()).ToList();
        Assert.Contains(alice.Host.PeerId.ToString(), carried);
        Assert.Contains(bob.Host.PeerId.ToString(), carried);
        await using var aliceMessenger = await MessengerPeer.OpenAsync(alice.Mailbox, Path.Combine(_directory, "alice.db"));
        await using var bobMessenger = await MessengerPeer.OpenAsync(bob.Mailbox, Path.Combine(_directory, "bob.db"));
        await bobMessenger.Messenger.PublishPrekeysAsync(ct);
        await aliceMessenger.Messenger.AddContactAsync("bob", bobMessenger.Messenger.Address, ct);
        await aliceMessenger.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes("met through js"), ct);

        var received = await bobMessenger.Messenger.PollAsync(ct);

        Assert.Equal("met through js", Encoding.UTF8.GetString(Assert.Single(received).Body));
        Assert.False(bob.Mailbox.Overlay.Dht.RoutingTable.Contains(Libp2p.Identity.PeerId.Parse(js.PeerId)));
    }

    private static string RendezvousCid(MailboxService mailbox) =>
        Cid.CreateV1(Multicodec.Raw, Multihash.Parse(mailbox.Overlay.Options.RendezvousKey)).ToString();

    private static async Task<DioneNode> DioneNodeAsync(Multiaddress publicPeer, CancellationToken ct)
    {
        var host = new Libp2pHostBuilder().ListenOn("/ip4/127.0.0.1/tcp/0").Build();
        await host.StartAsync(ct);
        // DHT clients: js never hands them out in FIND_NODE replies, so the provider records are the only way to meet.
        var dht = new KademliaDht(host, new KademliaDhtOptions { Mode = DhtMode.Client, Kad = new KadOptions { AllowPrivateAddresses = true } });
        await dht.StartAsync(ct);
        Assert.Equal(1, await dht.BootstrapAsync([publicPeer], ct));
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
