using System.Text.Json;
using Dione.TestSupport.Interop;

namespace Dione.Cli.Tests;

/// <summary>
/// kubo's own js client, kubo-rpc-client (interop/js/kubo-client.mjs under node), drives a Dione daemon as it would
/// drive kubo: it finds the API in the repo's <c>api</c> file and passes the token in its <c>headers</c> option.
/// </summary>
[Collection(CliInteropCollection.Name)]
public sealed class KuboRpcClientTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dione-kubo-client-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Kubo_rpc_client_calls_id_swarm_routing_and_ping_on_a_dione_daemon()
    {
        await using var first = await ApiTestDaemon.StartAsync(_root, "first");
        await using var second = await ApiTestDaemon.StartAsync(_root, "second");

        await using var client = JsPeerProcess.Start("kubo-client.mjs",
            ["--repo", first.Repo, "--connect", second.SwarmAddress, "--find", second.PeerId, "--ping", second.PeerId]);
        await client.ReadAllResultsAsync(ApiTestDaemon.Timeout);
        var exitCode = await client.WaitForExitAsync(ApiTestDaemon.Timeout);
        var calls = client.ReceivedEvents.ToDictionary(e => e.GetProperty("call").GetString()!, e => e);

        Assert.True(exitCode == 0, client.Describe());
        Assert.True(calls.ContainsKey("done"), client.Describe());
        var id = calls["id"];
        Assert.Equal(first.PeerId, id.GetProperty("id").GetString());
        Assert.Equal([first.SwarmAddress], id.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()));
        Assert.StartsWith("dione/", id.GetProperty("agentVersion").GetString(), StringComparison.Ordinal);
        Assert.Contains("/ipfs/kad/1.0.0", id.GetProperty("protocols").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal([$"connect {second.PeerId} success"], calls["swarm.connect"].GetProperty("strings").EnumerateArray().Select(s => s.GetString()));
        var peer = Assert.Single(calls["swarm.peers"].GetProperty("peers").EnumerateArray());
        Assert.Equal(second.PeerId, peer.GetProperty("peer").GetString());
        Assert.Equal(second.SwarmAddress.Split("/p2p/")[0], peer.GetProperty("addr").GetString());
        Assert.Equal("outbound", peer.GetProperty("direction").GetString());
        Assert.Matches("^[0-9.]+(µs|ms|s)$", peer.GetProperty("latency").GetString());
        Assert.Contains(calls["swarm.addrs"].GetProperty("peers").EnumerateArray(), p => p.GetProperty("id").GetString() == second.PeerId);
        Assert.Equal([first.SwarmAddress.Split("/p2p/")[0]], calls["swarm.localAddrs"].GetProperty("addrs").EnumerateArray().Select(a => a.GetString()));
        var final = Assert.Single(calls["routing.findPeer"].GetProperty("events").EnumerateArray());
        Assert.Equal("FINAL_PEER", final.GetProperty("name").GetString());
        Assert.Equal(second.PeerId, final.GetProperty("id").GetString());
        Assert.Contains(second.SwarmAddress.Split("/p2p/")[0], final.GetProperty("multiaddrs").EnumerateArray().Select(a => a.GetString()));
        var pongs = calls["ping"].GetProperty("pongs").EnumerateArray().ToList();
        Assert.Equal($"PING {second.PeerId}.", pongs[0].GetProperty("text").GetString());
        Assert.Equal(2, pongs.Count(p => p.GetProperty("success").GetBoolean() && p.GetProperty("time").GetInt64() > 0));
        Assert.StartsWith("Average latency: ", pongs[^1].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(401, calls["id without token"].GetProperty("refused").GetInt32());
    }
}
