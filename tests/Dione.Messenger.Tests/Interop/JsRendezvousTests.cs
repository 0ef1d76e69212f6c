using System.Text;
using Dione.Kademlia;
using Dione.Kademlia.Dht;
using Dione.Libp2p.Multiformats;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Node;
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
    public async Task A_js_dht_node_carries_the_rendezvous_between_two_dione_nodes()
    {
        var ct = new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token;
        await using var js = await JsDhtPeer.StartAsync([], ct);
        var jsAddress = Multiaddress.Parse(js.Address);

        await using var alice = await DioneNodeAsync(jsAddress, Path.Combine(_directory, "alice.db"), ct);
        await using var bob = await DioneNodeAsync(jsAddress, Path.Combine(_directory, "bob.db"), ct);
        while (!bob.Mailbox.Overlay.Dht.RoutingTable.Contains(alice.Host.PeerId) || !alice.Mailbox.Overlay.Dht.RoutingTable.Contains(bob.Host.PeerId))
        {
            await Task.Delay(50, ct);
        }

        var carried = (await js.LocalProvidersAsync(RendezvousCid(alice.Mailbox))).GetProperty("providers").EnumerateArray()
            .Select(p => p.GetProperty("peerId").GetString()).ToList();
        Assert.Contains(alice.Host.PeerId.ToString(), carried);
        Assert.Contains(bob.Host.PeerId.ToString(), carried);
        await bob.Messenger.PublishPrekeysAsync(ct);
        await alice.Messenger.AddContactAsync("bob", bob.Messenger.Address, ct);
        await alice.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes("met through js"), ct);

        var received = await bob.Messenger.PollAsync(ct);

        Assert.Equal("met through js", Encoding.UTF8.GetString(Assert.Single(received).Body));
        Assert.False(bob.Mailbox.Overlay.Dht.RoutingTable.Contains(Libp2p.Identity.PeerId.Parse(js.PeerId)));
    }

    private static string RendezvousCid(MailboxService mailbox) =>
        Cid.CreateV1(Multicodec.Raw, Multihash.Parse(mailbox.Overlay.Options.RendezvousKey)).ToString();

    private static async Task<DioneNode> DioneNodeAsync(Multiaddress publicPeer, string databasePath, CancellationToken ct)
    {
        // DHT clients: js never hands them out in FIND_NODE replies, so the provider records are the only way to meet.
        // The messenger's loop does not run: the test sends and polls itself.
        var node = new DioneNode(new DioneNodeOptions
        {
            ListenAddresses = [Multiaddress.Parse("/ip4/127.0.0.1/tcp/0")],
            BootstrapPeers = [publicPeer],
            Dht = new KademliaDhtOptions { Mode = DhtMode.Client, Kad = new KadOptions { AllowPrivateAddresses = true } },
            DatabasePath = databasePath,
            RunMessengerLoop = false,
        });
        await node.StartAsync(ct);
        Assert.Equal(1, await node.JoinAsync(ct));
        return node;
    }
}
