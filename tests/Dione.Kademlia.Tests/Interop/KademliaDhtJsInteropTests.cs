using System.Security.Cryptography;
using Dione.Kademlia.Records;
using Dione.Kademlia.Tests.Dht;
using Dione.Kademlia.Tests.TestSupport;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.TestSupport.Interop;

namespace Dione.Kademlia.Tests.Interop;

/// <summary>
/// Mixed networks of Dione <see cref="KademliaDht"/> nodes and js-libp2p kad-dht nodes (interop/js/dht-peer.mjs) on
/// 127.0.0.1, all servers on /ipfs/kad/1.0.0: each side finds the other's peers, providers and /pk/ records through
/// nodes of the other kind, and js keeps a Dione server in its routing table.
/// </summary>
[Collection(KadInteropCollection.Name)]
public sealed class KademliaDhtJsInteropTests
{

    [Fact]
    public async Task Js_node_keeps_a_dione_dht_server_in_its_routing_table_after_its_liveness_checks()
    {
        await using var dione = await DhtTestNode.StartAsync();
        await using var js = await JsDhtPeer.StartAsync();

        var connected = await js.ConnectAsync(dione.DialAddress.ToString());
        Assert.True(connected.GetProperty("inRoutingTable").GetBoolean(), js.Describe());
        await WaitUntilInTableAsync(dione, js);

        var liveness = await js.CheckLivenessAsync();
        Assert.Equal([dione.PeerId.ToString()], JsDhtCommands.Strings(liveness.GetProperty("alive")));
        Assert.Empty(liveness.GetProperty("evicted").EnumerateArray());
        Assert.Equal([dione.PeerId.ToString()], await js.RoutingTableAsync());
    }

    [Fact]
    public async Task Js_node_finds_a_dione_peer_only_another_dione_peer_knows()
    {
        await using var known = await DhtTestNode.StartAsync();
        await using var middle = await DhtTestNode.StartAsync();
        await using var js = await JsDhtPeer.StartAsync();
        await ConnectAsync(known, middle);
        await js.ConnectAsync(middle.DialAddress.ToString());

        var found = await js.FindPeerAsync(known.PeerId.ToString());
        Assert.Equal(known.PeerId.ToString(), found.GetProperty("peerId").GetString());
        Assert.Equal(middle.PeerId.ToString(), found.GetProperty("from").GetString());
        Assert.Contains(known.Host.ListenAddresses[0].ToString(), JsDhtCommands.Strings(found.GetProperty("addrs")));
    }

    [Fact]
    public async Task Dione_node_finds_a_js_peer_only_another_js_peer_knows()
    {
        await using var dione = await DhtTestNode.StartAsync();
        await using var middle = await JsDhtPeer.StartAsync();
        await using var known = await JsDhtPeer.StartAsync();
        await middle.ConnectAsync(known.Address);
        await ConnectAsync(dione, middle);
        var knownId = PeerId.Parse(known.PeerId);
        Assert.Null(dione.Host.FindConnection(knownId));
        Assert.Null(dione.Host.Peers.Get(knownId));

        var found = await dione.Dht.FindPeerAsync(knownId, cancellationToken: Timeouts.Token());
        Assert.NotNull(found.Peer);
        Assert.Contains(Multiaddress.Parse(TransportAddress(known)), found.Peer.Addresses);
        Assert.True(found.Stats.PeersQueried >= 1);
        await dione.Host.DialAsync(knownId, Timeouts.Token());
    }

    [Fact]
    public async Task Js_provide_is_found_by_a_dione_find_providers()
    {
        await using var provider = await JsDhtPeer.StartAsync();
        await using var middle = await JsDhtPeer.StartAsync();
        await using var dione = await DhtTestNode.StartAsync();
        await provider.ConnectAsync(middle.Address);
        var cid = NewCid();
        Assert.Contains(middle.PeerId, JsDhtCommands.Strings((await provider.ProvideAsync(cid.ToString())).GetProperty("sentTo")));

        // Dione joins after the provide, through the middle node only: the record is not here, it must be looked up
        await ConnectAsync(dione, middle);
        var key = cid.Multihash.ToBytes();
        Assert.Empty(await dione.Dht.GetLocalProvidersAsync(key));
        var found = new List<KadPeer>();
        await foreach (var p in dione.Dht.FindProvidersAsync(key, cancellationToken: Timeouts.Token()))
        {
            found.Add(p);
        }

        var entry = Assert.Single(found);
        Assert.Equal(provider.PeerId, entry.PeerId.ToString());
        Assert.Contains(Multiaddress.Parse(TransportAddress(provider)), entry.Addresses);
    }

    [Fact]
    public async Task Dione_provide_is_found_by_a_js_find_providers()
    {
        await using var dione = await DhtTestNode.StartAsync();
        await using var middle = await JsDhtPeer.StartAsync();
        await using var finder = await JsDhtPeer.StartAsync();
        await ConnectAsync(dione, middle);
        var cid = NewCid();
        var key = cid.Multihash.ToBytes();
        var stored = middle.WaitForEventAsync(
            "providerAdded",
            e => e.GetProperty("peerId").GetString() == dione.PeerId.ToString() && e.GetProperty("multihash").GetString() == Convert.ToHexStringLower(key),
            Timeouts.Test);
        var provided = await dione.Dht.ProvideAsync(key, cancellationToken: Timeouts.Token());
        Assert.Contains(PeerId.Parse(middle.PeerId), provided.Stored);
        await stored;

        // the finder joins afterwards, through the middle node only
        await finder.ConnectAsync(middle.Address);
        var providers = (await finder.FindProvidersAsync(cid.ToString())).GetProperty("providers");
        var entry = Assert.Single(providers.EnumerateArray());
        Assert.Equal(dione.PeerId.ToString(), entry.GetProperty("peerId").GetString());
        Assert.Contains(dione.Host.ListenAddresses[0].ToString(), JsDhtCommands.Strings(entry.GetProperty("addrs")));
        Assert.Contains(middle.PeerId, JsDhtCommands.Strings(entry.GetProperty("sources")));
    }

    [Fact]
    public async Task Js_pk_record_is_got_by_a_dione_get_value()
    {
        await using var owner = await JsDhtPeer.StartAsync();
        await using var middle = await JsDhtPeer.StartAsync();
        await using var dione = await DhtTestNode.StartAsync();
        await owner.ConnectAsync(middle.Address);
        var put = await owner.PutPkAsync();
        Assert.Contains(middle.PeerId, JsDhtCommands.Strings(put.GetProperty("storedBy")));

        await ConnectAsync(dione, middle);
        var key = PublicKeyValidator.RoutingKey(PeerId.Parse(owner.PeerId));
        Assert.Equal(key, JsDhtCommands.Hex(put, "key"));
        Assert.Null(await dione.Dht.GetLocalValueAsync(key));
        var got = await dione.Dht.GetValueAsync(key, cancellationToken: Timeouts.Token());
        Assert.Equal(JsDhtCommands.Hex(put, "value"), got.Value);
        Assert.True(got.ValidRecords >= 1);
    }

    [Fact]
    public async Task Dione_pk_record_is_got_by_a_js_get()
    {
        await using var dione = await DhtTestNode.StartAsync();
        await using var middle = await JsDhtPeer.StartAsync();
        await using var getter = await JsDhtPeer.StartAsync();
        await ConnectAsync(dione, middle);
        var key = PublicKeyValidator.RoutingKey(dione.PeerId);
        var value = dione.Identity.PublicKey.ToProtobuf();
        var put = await dione.Dht.PutValueAsync(key, value, cancellationToken: Timeouts.Token());
        Assert.Contains(PeerId.Parse(middle.PeerId), put.Stored);
        Assert.Empty(put.Failed);

        // stored in js's record store (js would also answer /pk/ from its peer store, which proves nothing)
        Assert.Equal(value, JsDhtCommands.Hex(await middle.GetLocalAsync(key), "value"));
        await getter.ConnectAsync(middle.Address);
        var got = await getter.GetAsync(key);
        Assert.Equal(value, JsDhtCommands.Hex(got, "value"));
    }

    private static Cid NewCid() =>
        Cid.CreateV1(Multicodec.Raw, new Multihash(MultihashCode.Sha2_256, SHA256.HashData(RandomNumberGenerator.GetBytes(32))));

    private static string TransportAddress(JsDhtPeer js) => js.Address.Replace($"/p2p/{js.PeerId}", "", StringComparison.Ordinal);

    /// <summary>Dials <paramref name="js"/> from <paramref name="dione"/> and waits until Dione's routing table holds it.</summary>
    private static async Task ConnectAsync(DhtTestNode dione, JsDhtPeer js)
    {
        var id = PeerId.Parse(js.PeerId);
        var identified = KadTestNode.WhenIdentified(dione.Host, id, i => i.Protocols.Contains(KademliaDefaults.ProtocolId));
        await dione.Host.DialAsync(Multiaddress.Parse(js.Address), Timeouts.Token());
        await identified.WaitAsync(Timeouts.Test);
        await dione.WaitUntilInTableAsync(id);
    }

    /// <summary>Dials <paramref name="other"/> from <paramref name="dione"/> (no lookup) and waits until each has the other in its table.</summary>
    private static async Task ConnectAsync(DhtTestNode dione, DhtTestNode other)
    {
        var identifiedByOther = KadTestNode.WhenIdentified(other.Host, dione.PeerId, i => i.Protocols.Contains(KademliaDefaults.ProtocolId));
        var identified = KadTestNode.WhenIdentified(dione.Host, other.PeerId, i => i.Protocols.Contains(KademliaDefaults.ProtocolId));
        await dione.Host.DialAsync(other.DialAddress, Timeouts.Token());
        await Task.WhenAll(identified, identifiedByOther).WaitAsync(Timeouts.Test);
        await dione.WaitUntilInTableAsync(other.PeerId);
        await other.WaitUntilInTableAsync(dione.PeerId);
    }

    /// <summary>Waits until <paramref name="dione"/> has identified <paramref name="js"/> as a DHT server and holds it in its table.</summary>
    private static async Task WaitUntilInTableAsync(DhtTestNode dione, JsDhtPeer js)
    {
        var id = PeerId.Parse(js.PeerId);
        var identified = KadTestNode.WhenIdentified(dione.Host, id, i => i.Protocols.Contains(KademliaDefaults.ProtocolId));
        if (!dione.Dht.RoutingTable.Contains(id))
        {
            await identified.WaitAsync(Timeouts.Test);
        }

        await dione.WaitUntilInTableAsync(id);
    }
}
