using System.Text.Json;

namespace Dione.Cli.Tests;

/// <summary>
/// kubo's habits on the command line, with real daemons on 127.0.0.1: ping, perf and id by peer id through the running
/// daemon's node, and <c>dione shutdown</c>. Every repo's public bootstrap list is removed first.
/// </summary>
[Collection(CliInteropCollection.Name)]
public sealed class KuboHabitsCliTests : IDisposable
{
    private const string OtherPeer = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";
    private readonly string _root = Directory.CreateTempSubdirectory("dione-habits-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Ping_and_id_by_peer_id_go_through_the_daemon_which_finds_the_peer_in_its_dht()
    {
        // first and third know only second: first finds third by its id through its own daemon's DHT.
        await using var second = await ApiTestDaemon.StartAsync(_root, "second");
        await using var first = await ApiTestDaemon.StartAsync(_root, "first", "--bootstrap", second.SwarmAddress);
        await using var third = await ApiTestDaemon.StartAsync(_root, "third", "--bootstrap", second.SwarmAddress);
        await first.Process.WaitForLineAsync("Bootstrapped with 1 of 1 peers", ApiTestDaemon.Timeout);
        await third.Process.WaitForLineAsync("Bootstrapped with 1 of 1 peers", ApiTestDaemon.Timeout);

        var ping = await first.RunAsync("ping", "-n", "2", third.PeerId);
        var pingJson = await first.RunAsync("ping", "-n", "1", "--json", second.SwarmAddress);
        var id = await first.RunAsync("id", third.PeerId, "--json");
        var idText = await first.RunAsync("id", second.PeerId);

        Assert.True(ping.ExitCode == 0, ping.Stderr);
        var lines = ping.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains($"PING {third.PeerId}.", lines);
        Assert.Equal(2, lines.Count(l => l.StartsWith("Pong received: time=", StringComparison.Ordinal)));
        Assert.StartsWith("Average latency: ", lines[^1], StringComparison.Ordinal);
        Assert.True(pingJson.ExitCode == 0, pingJson.Stderr);
        var results = pingJson.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal($"PING {second.PeerId}.", results[0].GetProperty("Text").GetString());
        Assert.Single(results, r => r.GetProperty("Success").GetBoolean() && r.GetProperty("Time").GetInt64() > 0 && r.GetProperty("Text").GetString() == "");
        Assert.True(id.ExitCode == 0, id.Stderr);
        using (var json = JsonDocument.Parse(id.Stdout))
        {
            Assert.Equal(third.PeerId, json.RootElement.GetProperty("ID").GetString());
            Assert.StartsWith("dione/", json.RootElement.GetProperty("AgentVersion").GetString(), StringComparison.Ordinal);
            Assert.Contains(third.SwarmAddress, json.RootElement.GetProperty("Addresses").EnumerateArray().Select(a => a.GetString()));
            Assert.Contains("/ipfs/ping/1.0.0", json.RootElement.GetProperty("Protocols").EnumerateArray().Select(p => p.GetString()));
        }
        Assert.True(idText.ExitCode == 0, idText.Stderr);
        Assert.Contains($"ID:           {second.PeerId}\n", idText.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_and_perf_use_the_running_daemons_node_which_stays_connected()
    {
        // Three daemons that know nothing of each other: only first's own node can leave a connection behind.
        await using var first = await ApiTestDaemon.StartAsync(_root, "first");
        await using var pinged = await ApiTestDaemon.StartAsync(_root, "pinged");
        await using var measured = await ApiTestDaemon.StartAsync(_root, "measured");

        var ping = await first.RunAsync("ping", "-n", "1", pinged.SwarmAddress);
        var perf = await first.RunAsync("perf", "--upload-bytes", "100000", "--download-bytes", "200000", "--json", measured.SwarmAddress);
        var perfById = await first.RunAsync("perf", "--upload-bytes", "1000", "--download-bytes", "1000", measured.PeerId);
        var peers = await first.RunAsync("swarm", "peers");
        using var http = first.HttpClient();
        using var negative = await http.PostAsync($"dione/perf?arg={measured.PeerId}&upload-bytes=-1", null);

        Assert.True(ping.ExitCode == 0, ping.Stderr);
        Assert.True(perf.ExitCode == 0, perf.Stderr);
        using (var result = JsonDocument.Parse(perf.Stdout))
        {
            Assert.Equal("final", result.RootElement.GetProperty("Type").GetString());
            Assert.Equal(100_000, result.RootElement.GetProperty("UploadBytes").GetInt64());
            Assert.Equal(200_000, result.RootElement.GetProperty("DownloadBytes").GetInt64());
            Assert.True(result.RootElement.GetProperty("TimeSeconds").GetDouble() > 0);
        }
        Assert.True(perfById.ExitCode == 0, perfById.Stderr);
        Assert.StartsWith("Uploaded   1000 bytes in ", perfById.Stdout, StringComparison.Ordinal);
        Assert.Contains("Downloaded 1000 bytes in ", perfById.Stdout, StringComparison.Ordinal);
        Assert.True(peers.ExitCode == 0, peers.Stderr);
        Assert.Contains(peers.Stdout.Split('\n'), l => l.EndsWith("/p2p/" + pinged.PeerId, StringComparison.Ordinal));
        Assert.Contains(peers.Stdout.Split('\n'), l => l.EndsWith("/p2p/" + measured.PeerId, StringComparison.Ordinal));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, negative.StatusCode);
    }

    [Theory]
    [InlineData("ping", OtherPeer)]
    [InlineData("perf", OtherPeer)]
    public async Task A_peer_id_without_a_daemon_says_it_needs_one_or_a_multiaddr(params string[] arguments)
    {
        var repo = await ApiTestDaemon.InitRepoAsync(_root, "offline");

        var (exitCode, stdout, stderr) = await DioneProcess.RunAsync(null, [.. arguments, "--repo", repo]);

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        Assert.Equal($"Error: 'dione {arguments[0]} PEERID' needs a running daemon to find the peer (start it with 'dione daemon --repo {repo}'), or give the peer's multiaddr\n", stderr);
    }

    [Fact]
    public async Task Id_of_another_peer_without_a_daemon_says_it_needs_one()
    {
        var repo = await ApiTestDaemon.InitRepoAsync(_root, "offline");

        var (exitCode, stdout, stderr) = await DioneProcess.RunAsync(null, "id", OtherPeer, "--repo", repo);
        var invalid = await DioneProcess.RunAsync(null, "id", "not-a-peer", "--repo", repo);

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        Assert.StartsWith("Error: ", stderr, StringComparison.Ordinal);
        Assert.Contains("needs a running daemon", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal((1, "", "Error: invalid peer id 'not-a-peer'\n"), invalid);
    }

    [Fact]
    public async Task Shutdown_stops_the_daemon_which_exits_0_and_removes_its_api_files()
    {
        await using var daemon = await ApiTestDaemon.StartAsync(_root, "stopped");

        var shutdown = await daemon.RunAsync("shutdown");
        var exitCode = await daemon.Process.WaitForExitAsync(ApiTestDaemon.Timeout);
        var again = await daemon.RunAsync("shutdown");

        Assert.Equal((0, "", ""), shutdown);
        Assert.Equal(0, exitCode);
        Assert.Equal("", daemon.Process.Stderr);
        Assert.False(File.Exists(Path.Combine(daemon.Repo, "api")));
        Assert.False(File.Exists(Path.Combine(daemon.Repo, "api.token")));
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("needs a running daemon", again.Stderr, StringComparison.Ordinal);
    }
}
