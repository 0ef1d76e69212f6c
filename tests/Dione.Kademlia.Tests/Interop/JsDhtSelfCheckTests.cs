using System.Security.Cryptography;
using System.Text;
using Dione.Libp2p.Multiformats;
using Dione.TestSupport.Interop;

namespace Dione.Kademlia.Tests.Interop;

/// <summary>
/// Proves the js DHT harness: three js-libp2p kad-dht nodes (interop/js/dht-peer.mjs) chained A - B - C on
/// 127.0.0.1 and driven through <see cref="JsDhtPeer"/>, js against js only.
/// </summary>
[Collection(KadInteropCollection.Name)]
public sealed class JsDhtSelfCheckTests
{
    private const string TestNamespace = "dione-test";

    [Fact]
    public async Task Three_js_dht_nodes_find_peers_providers_and_records_through_the_middle_one()
    {
        await using var a = await JsDhtPeer.StartAsync(["--accept-namespace", TestNamespace, .. JsDhtPeer.NoEarlySelfQuery]);
        await using var b = await JsDhtPeer.StartAsync("--accept-namespace", TestNamespace);
        await using var c = await JsDhtPeer.StartAsync(["--accept-namespace", TestNamespace, .. JsDhtPeer.NoEarlySelfQuery]);
        Assert.Equal("/ipfs/kad/1.0.0", a.Ready.GetProperty("dhtProtocol").GetString());
        Assert.Equal("server", a.Ready.GetProperty("dhtMode").GetString());
        Assert.StartsWith("/ip4/127.0.0.1/tcp/", a.Address, StringComparison.Ordinal);

        // chain: A and C know only B
        Assert.True((await a.ConnectAsync(b.Address)).GetProperty("inRoutingTable").GetBoolean(), a.Describe());
        Assert.True((await c.ConnectAsync(b.Address)).GetProperty("inRoutingTable").GetBoolean(), c.Describe());
        Assert.DoesNotContain(c.PeerId, await a.RoutingTableAsync());
        await b.WaitForEventAsync("routingTable", e => e.GetProperty("peerId").GetString() == c.PeerId, JsDhtPeer.DefaultCommandTimeout);

        // A finds C, named by B
        var found = await a.FindPeerAsync(c.PeerId);
        Assert.Equal(c.PeerId, found.GetProperty("peerId").GetString());
        Assert.Equal(b.PeerId, found.GetProperty("from").GetString());
        Assert.Contains(c.Address.Replace($"/p2p/{c.PeerId}", "", StringComparison.Ordinal), JsDhtCommands.Strings(found.GetProperty("addrs")));

        // A provides; B stores it; C finds A through B
        var cid = Cid.CreateV1(Multicodec.Raw, new Multihash(MultihashCode.Sha2_256, SHA256.HashData(RandomNumberGenerator.GetBytes(32)))).ToString();
        var provided = await a.ProvideAsync(cid);
        Assert.Contains(b.PeerId, JsDhtCommands.Strings(provided.GetProperty("sentTo")));
        var stored = (await b.LocalProvidersAsync(cid)).GetProperty("providers");
        Assert.Contains(stored.EnumerateArray(), p => p.GetProperty("peerId").GetString() == a.PeerId);
        var providers = (await c.FindProvidersAsync(cid)).GetProperty("providers");
        var provider = Assert.Single(providers.EnumerateArray());
        Assert.Equal(a.PeerId, provider.GetProperty("peerId").GetString());
        Assert.NotEmpty(JsDhtCommands.Strings(provider.GetProperty("addrs")));
        Assert.Contains(b.PeerId, JsDhtCommands.Strings(provider.GetProperty("sources")));

        // A's /pk/ record: stored by B, got by C
        var pk = await a.PutPkAsync();
        Assert.Contains(b.PeerId, JsDhtCommands.Strings(pk.GetProperty("storedBy")));
        var pkKey = JsDhtCommands.Hex(pk, "key");
        Assert.Equal(Encoding.ASCII.GetBytes("/pk/"), pkKey[..4]);
        Assert.Equal(Libp2p.Identity.PeerId.Parse(a.PeerId).ToBytes(), pkKey[4..]);
        Assert.Equal(JsDhtCommands.Hex(pk, "value"), JsDhtCommands.Hex(await b.GetLocalAsync(pkKey), "value"));
        Assert.Equal(JsDhtCommands.Hex(pk, "value"), JsDhtCommands.Hex(await c.GetAsync(pkKey), "value"));

        // a record in a namespace the js nodes were told to accept: put by C, got by A; a missing key is not found
        var key = Encoding.ASCII.GetBytes($"/{TestNamespace}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}");
        var value = RandomNumberGenerator.GetBytes(48);
        Assert.Contains(b.PeerId, JsDhtCommands.Strings((await c.PutAsync(key, value)).GetProperty("storedBy")));
        Assert.Equal(value, JsDhtCommands.Hex(await a.GetAsync(key), "value"));
        Assert.False((await a.TryGetAsync(Encoding.ASCII.GetBytes($"/{TestNamespace}/missing"))).GetProperty("ok").GetBoolean());

        // B's liveness check keeps both, then evicts C once C is gone
        var liveness = await b.CheckLivenessAsync();
        Assert.Empty(liveness.GetProperty("evicted").EnumerateArray());
        Assert.Contains(a.PeerId, JsDhtCommands.Strings(liveness.GetProperty("alive")));
        Assert.Contains(c.PeerId, JsDhtCommands.Strings(liveness.GetProperty("alive")));
        await c.DisposeAsync();
        liveness = await b.CheckLivenessAsync();
        Assert.Equal([c.PeerId], JsDhtCommands.Strings(liveness.GetProperty("evicted")));
        Assert.Equal([a.PeerId], await b.RoutingTableAsync());
    }

    [Fact]
    public async Task A_failing_command_is_answered_with_its_error_and_the_node_keeps_serving()
    {
        await using var a = await JsDhtPeer.StartAsync();
        var unknown = await a.TryCommandAsync("noSuchCommand");
        Assert.False(unknown.GetProperty("ok").GetBoolean());
        Assert.Contains("unknown cmd", unknown.GetProperty("error").GetString(), StringComparison.Ordinal);

        var badPeer = await a.TryCommandAsync("findPeer", new() { ["peerId"] = "not-a-peer-id" });
        Assert.False(badPeer.GetProperty("ok").GetBoolean());

        var refused = await a.TryCommandAsync(
            "connect", new() { ["addr"] = "/ip4/127.0.0.1/tcp/9/p2p/12D3KooWBios9HF5iYes42oXMRVK66R8gFozWSnwMqW8UZ6eXvXh" }, TimeSpan.FromSeconds(2));
        Assert.False(refused.GetProperty("ok").GetBoolean());

        Assert.Empty(await a.RoutingTableAsync());
    }
}
