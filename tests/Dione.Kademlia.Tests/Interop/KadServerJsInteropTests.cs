using System.Security.Cryptography;
using Dione.Kademlia.Protos;
using Dione.Kademlia.Records;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.TestSupport.Interop;
using Google.Protobuf;
using Record = Dione.Kademlia.Protos.Record;

namespace Dione.Kademlia.Tests.Interop;

/// <summary>
/// Dione's DHT server and client against js-libp2p kad-dht nodes (interop/js/dht-peer.mjs) on 127.0.0.1:
/// js keeps a Dione server in its routing table and routes its own lookups through it, and every request
/// of <see cref="KadClient"/> is understood by js.
/// </summary>
[Collection(KadInteropCollection.Name)]
public sealed class KadServerJsInteropTests
{
    private const int RequestsInARow = 50;

    [Fact]
    public async Task Js_node_keeps_a_dione_server_in_its_routing_table_after_its_liveness_checks()
    {
        await using var dione = await DioneKadNode.StartAsync();
        await using var dialer = await JsDhtPeer.StartAsync();
        await using var dialed = await JsDhtPeer.StartAsync();

        // js dials Dione: identify shows /ipfs/kad/1.0.0, js pings, then adds
        Assert.True((await dialer.ConnectAsync(dione.Address)).GetProperty("inRoutingTable").GetBoolean(), dialer.Describe());
        await dione.WaitForTableAsync(dialer.PeerId, Timeouts.Test);

        // Dione dials js: the same on js's side of an inbound connection
        await dione.ConnectAsync(dialed, Timeouts.Test);
        await dialed.WaitForEventAsync("routingTable", e => e.GetProperty("peerId").GetString() == dione.PeerId.ToString(), Timeouts.Test);

        // Each js node may also have learned the other one through Dione (a js self-lookup asks Dione, which knows
        // both): that peer may be checked too, but Dione must be among the live and nobody may be evicted.
        foreach (var js in new[] { dialer, dialed })
        {
            var liveness = await js.CheckLivenessAsync();
            Assert.Contains(dione.PeerId.ToString(), JsDhtCommands.Strings(liveness.GetProperty("alive")));
            Assert.Empty(liveness.GetProperty("evicted").EnumerateArray());
            Assert.Contains(dione.PeerId.ToString(), await js.RoutingTableAsync());
        }
    }

    [Fact]
    public async Task Js_lookups_find_peers_providers_and_pk_records_through_a_dione_server()
    {
        await using var dione = await DioneKadNode.StartAsync();
        await using var a = await JsDhtPeer.StartAsync(JsDhtPeer.NoEarlySelfQuery);
        await using var c = await JsDhtPeer.StartAsync(JsDhtPeer.NoEarlySelfQuery);
        await a.ConnectAsync(dione.Address);
        await c.ConnectAsync(dione.Address);
        await dione.WaitForTableAsync(a.PeerId, Timeouts.Test);
        await dione.WaitForTableAsync(c.PeerId, Timeouts.Test);
        Assert.DoesNotContain(c.PeerId, await a.RoutingTableAsync());

        // FIND_NODE: A finds C, named by the Dione server
        var found = await a.FindPeerAsync(c.PeerId);
        Assert.Equal(dione.PeerId.ToString(), found.GetProperty("from").GetString());
        Assert.Contains(c.Address.Replace($"/p2p/{c.PeerId}", "", StringComparison.Ordinal), JsDhtCommands.Strings(found.GetProperty("addrs")));

        // ADD_PROVIDER / GET_PROVIDERS: A provides to Dione, C finds A through Dione
        var cid = NewCid();
        var stored = WhenProviderStored(dione, cid, a.PeerId);
        Assert.Contains(dione.PeerId.ToString(), JsDhtCommands.Strings((await a.ProvideAsync(cid.ToString())).GetProperty("sentTo")));
        var provider = await stored.WaitAsync(Timeouts.Test);
        Assert.NotEmpty(provider.Addresses);
        var providers = (await c.FindProvidersAsync(cid.ToString())).GetProperty("providers");
        var found1 = Assert.Single(providers.EnumerateArray());
        Assert.Equal(a.PeerId, found1.GetProperty("peerId").GetString());
        Assert.Contains(dione.PeerId.ToString(), JsDhtCommands.Strings(found1.GetProperty("sources")));

        // PUT_VALUE / GET_VALUE: A's /pk/ record is validated and stored by Dione, and C gets it from Dione
        var pk = await a.PutPkAsync();
        Assert.Contains(dione.PeerId.ToString(), JsDhtCommands.Strings(pk.GetProperty("storedBy")));
        var key = JsDhtCommands.Hex(pk, "key");
        Assert.Equal(PublicKeyValidator.RoutingKey(PeerId.Parse(a.PeerId)), key);
        var record = await dione.Records.GetAsync(key, CancellationToken.None);
        Assert.NotNull(record);
        Assert.Equal(JsDhtCommands.Hex(pk, "value"), record.Value.ToByteArray());
        var got = await c.GetAsync(key);
        Assert.Equal(JsDhtCommands.Hex(pk, "value"), JsDhtCommands.Hex(got, "value"));
        Assert.Contains(dione.PeerId.ToString(), JsDhtCommands.Strings(got.GetProperty("sources")));
    }

    [Fact]
    public async Task Dione_client_requests_are_answered_by_js_nodes()
    {
        await using var dione = await DioneKadNode.StartAsync();
        await using var j1 = await JsDhtPeer.StartAsync();
        await using var j2 = await JsDhtPeer.StartAsync();
        await j1.ConnectAsync(j2.Address);
        await dione.ConnectAsync(j1, Timeouts.Test);
        var j1Id = PeerId.Parse(j1.PeerId);
        var j2Id = PeerId.Parse(j2.PeerId);
        using var cancellation = new CancellationTokenSource(Timeouts.Test);
        var ct = cancellation.Token;

        // every request answered, many in a row: js resets a stream whose writer half-closes while js waits for a
        // next request, right after its reply, so the reply must be read before half-closing
        var failures = new List<string>();
        for (var i = 0; i < RequestsInARow; i++)
        {
            try
            {
                await dione.Client.FindNodeAsync(j1Id, j2Id, ct);
            }
            catch (IOException e)
            {
                failures.Add(e.Message);
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {RequestsInARow} FIND_NODE requests failed: {string.Join("; ", failures.Distinct())}");

        // Dione's own liveness check (FIND_NODE of the peer's own id) passes against js
        Assert.True(await dione.Manager.CheckLivenessAsync(j1Id, ct));

        // FIND_NODE: j1 names j2, only j1 knew it; the addresses it gives are dialable
        var closer = await dione.Client.FindNodeAsync(j1Id, j2Id, ct);
        var j2Entry = Assert.Single(closer, p => p.PeerId == j2Id);
        Assert.Contains(j2Entry.Addresses, a => a.ToString() == j2.Address.Replace($"/p2p/{j2.PeerId}", "", StringComparison.Ordinal));
        dione.Host.Peers.AddAddresses(j2Id, j2Entry.Addresses);
        await dione.ConnectAsync(j2, Timeouts.Test);

        // PUT_VALUE: Dione's /pk/ record, stored by j1 and got back by j2's lookup
        var pkKey = PublicKeyValidator.RoutingKey(dione.PeerId);
        var pkValue = dione.Host.Identity.PublicKey.ToProtobuf();
        await dione.Client.PutValueAsync(j1Id, new Record { Key = ByteString.CopyFrom(pkKey), Value = ByteString.CopyFrom(pkValue) }, ct);
        Assert.Equal(pkValue, JsDhtCommands.Hex(await j1.GetLocalAsync(pkKey), "value"));
        Assert.Equal(pkValue, JsDhtCommands.Hex(await j2.GetAsync(pkKey), "value"));

        // GET_VALUE: j2's /pk/ record put by j2, read from j1 and valid for Dione's pk validator
        var j2Pk = await j2.PutPkAsync();
        Assert.Contains(j1.PeerId, JsDhtCommands.Strings(j2Pk.GetProperty("storedBy")));
        var reply = await dione.Client.GetValueAsync(j1Id, JsDhtCommands.Hex(j2Pk, "key"), ct);
        Assert.NotNull(reply.Record);
        dione.Validator.Validate(reply.Record.Key.ToByteArray(), reply.Record.Value.ToByteArray());
        Assert.True(RecordTimestamp.TryParse(reply.Record.TimeReceived, out _), $"timeReceived \"{reply.Record.TimeReceived}\"");

        // ADD_PROVIDER: Dione provides to j1 (no reply); j1 stores it with Dione's addresses, j2 finds it
        var cid = NewCid();
        var multihash = cid.Multihash.ToBytes();
        await dione.Client.AddProviderAsync(j1Id, multihash, dione.Host.ListenAddresses, ct);
        await j1.WaitForEventAsync(
            "providerAdded",
            e => e.GetProperty("peerId").GetString() == dione.PeerId.ToString() && e.GetProperty("multihash").GetString() == Convert.ToHexStringLower(multihash),
            Timeouts.Test);
        var local = Assert.Single((await j1.LocalProvidersAsync(cid.ToString())).GetProperty("providers").EnumerateArray());
        Assert.Equal(dione.PeerId.ToString(), local.GetProperty("peerId").GetString());
        Assert.NotEmpty(JsDhtCommands.Strings(local.GetProperty("addrs")));
        var found = (await j2.FindProvidersAsync(cid.ToString())).GetProperty("providers");
        Assert.Equal(dione.PeerId.ToString(), Assert.Single(found.EnumerateArray()).GetProperty("peerId").GetString());

        // GET_PROVIDERS: j2 provides, Dione asks j1
        var cid2 = NewCid();
        Assert.Contains(j1.PeerId, JsDhtCommands.Strings((await j2.ProvideAsync(cid2.ToString())).GetProperty("sentTo")));
        var providers = await dione.Client.GetProvidersAsync(j1Id, cid2.Multihash.ToBytes(), ct);
        var j2Provider = Assert.Single(providers.Providers);
        Assert.Equal(j2Id, j2Provider.PeerId);
        Assert.NotEmpty(j2Provider.Addresses);
    }

    private static Cid NewCid() =>
        Cid.CreateV1(Multicodec.Raw, new Multihash(MultihashCode.Sha2_256, SHA256.HashData(RandomNumberGenerator.GetBytes(32))));

    private static Task<KadPeer> WhenProviderStored(DioneKadNode node, Cid cid, string provider)
    {
        var key = cid.Multihash.ToBytes();
        var stored = new TaskCompletionSource<KadPeer>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Providers.Added += (k, p) =>
        {
            if (k.AsSpan().SequenceEqual(key) && p.PeerId.ToString() == provider)
            {
                stored.TrySetResult(p);
            }
        };
        return stored.Task;
    }
}
