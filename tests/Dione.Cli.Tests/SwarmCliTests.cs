using System.Text.Json;
using Dione.Libp2p.Identity;

namespace Dione.Cli.Tests;

/// <summary>
/// <c>dione swarm</c>, <c>dione id</c> and <c>dione routing</c> as a user runs them against running daemons: real
/// processes on 127.0.0.1, every command through the daemon's API.
/// </summary>
public sealed class SwarmCliTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dione-swarm-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Swarm_connect_peers_addrs_and_disconnect_between_two_daemons()
    {
        // Messaging polls its mailbox holders every poll interval and would dial the peer again right after the
        // disconnect; an hour keeps it to the one poll at start, before the connect.
        await using var first = await ApiTestDaemon.StartAsync(_root, "first", "--poll-interval", "1h");
        await using var second = await ApiTestDaemon.StartAsync(_root, "second", "--poll-interval", "1h");

        var connect = await first.RunAsync("swarm", "connect", second.SwarmAddress);
        var outbound = await first.RunAsync("swarm", "peers", "--direction", "--latency");
        var inbound = await second.RunAsync("swarm", "peers", "--json", "--direction");
        var known = await first.RunAsync("swarm", "addrs");
        var local = await second.RunAsync("swarm", "addrs", "local", "--id");
        var id = await second.RunAsync("id", "--json");
        var disconnect = await first.RunAsync("swarm", "disconnect", "/p2p/" + second.PeerId);
        // A peer never connected: second itself may dial first again at any moment (its DHT and overlay know first).
        var stranger = PeerId.FromPublicKey(PrivateKey.Generate().PublicKey);
        var notConnected = await first.RunAsync("swarm", "disconnect", "/p2p/" + stranger);

        Assert.True(connect.ExitCode == 0, connect.Stderr);
        Assert.Equal($"connect {second.PeerId} success\n", connect.Stdout);
        Assert.Matches($"^{second.SwarmAddress} [0-9.]+(µs|ms|s) outbound\n$", outbound.Stdout);
        string firstAsSeenBySecond;
        using (var peers = JsonDocument.Parse(inbound.Stdout))
        {
            var peer = Assert.Single(peers.RootElement.GetProperty("Peers").EnumerateArray());
            Assert.Equal(first.PeerId, peer.GetProperty("Peer").GetString());
            firstAsSeenBySecond = peer.GetProperty("Addr").GetString()!;
            Assert.StartsWith("/ip4/127.0.0.1/tcp/", firstAsSeenBySecond, StringComparison.Ordinal);
            Assert.Equal(1, peer.GetProperty("Direction").GetInt32()); // go-libp2p's DirInbound
            Assert.False(peer.TryGetProperty("Latency", out _));
        }
        Assert.Equal($"{second.PeerId} (1)\n\t{second.SwarmAddress.Split("/p2p/")[0]}\n", known.Stdout);
        Assert.Equal(second.SwarmAddress + "\n", local.Stdout);
        using (var identity = JsonDocument.Parse(id.Stdout))
        {
            // From the daemon: its real, bound port (the repo alone only knows "tcp/0").
            Assert.Equal([second.SwarmAddress], identity.RootElement.GetProperty("Addresses").EnumerateArray().Select(a => a.GetString()));
        }
        Assert.True(disconnect.ExitCode == 0, disconnect.Stderr);
        Assert.Equal($"disconnect {second.PeerId} success\n", disconnect.Stdout);
        // The connection first dialed is gone on second's side too. Not "no peers": either daemon's DHT may dial the
        // other again at any moment (a lookup the connect started), but that is a new connection from another port.
        await WaitUntilGoneAsync(second, first.PeerId, firstAsSeenBySecond);
        Assert.Equal(1, notConnected.ExitCode);
        Assert.Equal($"Error: disconnect {stranger} failure: not connected\n", notConnected.Stderr);
    }

    [Fact]
    public async Task Routing_commands_go_through_the_daemons_dht()
    {
        // first and third know only second; first finds third through its own daemon's DHT. The repos list no
        // bootstrap peers, so a short-lived node could not have done it.
        await using var second = await ApiTestDaemon.StartAsync(_root, "second");
        await using var first = await ApiTestDaemon.StartAsync(_root, "first", "--bootstrap", second.SwarmAddress);
        await using var third = await ApiTestDaemon.StartAsync(_root, "third", "--bootstrap", second.SwarmAddress);
        await first.Process.WaitForLineAsync("Bootstrapped with 1 of 1 peers", ApiTestDaemon.Timeout);
        await third.Process.WaitForLineAsync("Bootstrapped with 1 of 1 peers", ApiTestDaemon.Timeout);
        const string Cid = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
        var key = Dione.Libp2p.Identity.PrivateKey.Generate();
        var keyFile = Path.Combine(_root, "pk");
        await File.WriteAllBytesAsync(keyFile, key.PublicKey.ToProtobuf());
        var pkKey = "/pk/" + Dione.Libp2p.Identity.PeerId.FromPublicKey(key.PublicKey);

        var found = await first.RunAsync("routing", "findpeer", third.PeerId);
        var foundJson = await first.RunAsync("routing", "findpeer", third.PeerId, "--json");
        var provided = await third.RunAsync("routing", "provide", Cid, "--json");
        var providers = await first.RunAsync("routing", "findprovs", Cid, "--json");
        var missing = await first.RunAsync("routing", "findpeer", "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
        var put = await third.RunAsync("routing", "put", pkKey, keyFile);
        var got = await first.RunAsync("routing", "get", pkKey, "--json");
        var refused = await first.RunAsync("routing", "put", pkKey, Path.Combine(_root, "first", "config"));

        Assert.True(found.ExitCode == 0, found.Stderr);
        Assert.Equal(third.SwarmAddress.Split("/p2p/")[0] + "\n", found.Stdout);
        Assert.True(foundJson.ExitCode == 0, foundJson.Stderr);
        Assert.Equal([third.SwarmAddress.Split("/p2p/")[0]], QueryEventAssert.NamesPeer(foundJson.Stdout, 2, third.PeerId));
        Assert.True(provided.ExitCode == 0, provided.Stderr);
        Assert.NotEmpty(QueryEventAssert.PeersOf(provided.Stdout, 2));
        Assert.True(providers.ExitCode == 0, providers.Stderr);
        QueryEventAssert.NamesPeer(providers.Stdout.Split('\n')[0], 4, third.PeerId);
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("", missing.Stdout);
        Assert.Equal("Error: routing: not found\n", missing.Stderr);
        Assert.True(put.ExitCode == 0, put.Stderr);
        Assert.Matches("^record stored on [12] peers \\(0 failed\\)\n$", put.Stdout);
        Assert.True(got.ExitCode == 0, got.Stderr);
        Assert.Equal(key.PublicKey.ToProtobuf(), Convert.FromBase64String(QueryEventAssert.Is(got.Stdout, 5).GetProperty("Extra").GetString()!));
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("Error: record refused: ", refused.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("swarm", "peers")]
    [InlineData("swarm", "addrs", "local")]
    [InlineData("swarm", "connect", "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")]
    public async Task Swarm_commands_without_a_daemon_say_they_need_one(params string[] arguments)
    {
        var repo = await ApiTestDaemon.InitRepoAsync(_root, "idle");
        var stale = await ApiTestDaemon.InitRepoAsync(_root, "stale");
        // A daemon killed with -9 leaves its files behind; nothing listens there any more.
        var closedPort = ClosedPort();
        await File.WriteAllTextAsync(Path.Combine(stale, "api"), $"/ip4/127.0.0.1/tcp/{closedPort}");
        await File.WriteAllTextAsync(Path.Combine(stale, "api.token"), "stale");

        var none = await DioneProcess.RunAsync(null, [.. arguments, "--repo", repo]);
        var gone = await DioneProcess.RunAsync(null, [.. arguments, "--repo", stale]);

        foreach (var ((exitCode, stdout, stderr), path) in new[] { (none, repo), (gone, stale) })
        {
            Assert.Equal(1, exitCode);
            Assert.Equal("", stdout);
            Assert.Equal($"Error: this command needs a running daemon (start it with 'dione daemon --repo {path}')\n", stderr);
        }
    }

    [Theory]
    [InlineData("swarm", "connect")]
    [InlineData("swarm", "connect", "not-a-multiaddr")]
    [InlineData("swarm", "connect", "/ip4/127.0.0.1/tcp/1")]
    [InlineData("swarm", "disconnect", "/ip4/127.0.0.1/tcp/1")]
    [InlineData("swarm", "frobnicate")]
    [InlineData("daemon", "--api", "not-a-multiaddr")]
    [InlineData("daemon", "--api", "/ip4/192.0.2.1/tcp/5101")]
    public async Task Bad_arguments_give_one_error_line(params string[] arguments)
    {
        var repo = await ApiTestDaemon.InitRepoAsync(_root, "bad");

        var (exitCode, stdout, stderr) = await DioneProcess.RunAsync(null, [.. arguments, "--repo", repo]);

        Assert.NotEqual(0, exitCode);
        Assert.Equal("", stdout);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1 && lines[0].StartsWith("Error: ", StringComparison.Ordinal), stderr);
        Assert.DoesNotContain("needs a running daemon", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_daemon_on_the_same_repo_is_refused()
    {
        await using var daemon = await ApiTestDaemon.StartAsync(_root, "busy");

        var (exitCode, stdout, stderr) = await daemon.RunAsync("daemon", "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "/ip4/127.0.0.1/tcp/0");
        var stillServing = await daemon.RunAsync("swarm", "addrs", "local");

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        Assert.StartsWith("Error: another daemon is running on the repo", stderr, StringComparison.Ordinal);
        Assert.Equal(0, stillServing.ExitCode);
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Waits until <paramref name="daemon"/> lists no connection to <paramref name="peer"/> from <paramref name="address"/>.</summary>
    private static async Task WaitUntilGoneAsync(ApiTestDaemon daemon, string peer, string address)
    {
        using var client = daemon.HttpClient();
        using var timeout = new CancellationTokenSource(ApiTestDaemon.Timeout);
        while (true)
        {
            using var response = await client.PostAsync("swarm/peers", null, timeout.Token);
            using var peers = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
            var list = peers.RootElement.GetProperty("Peers");
            if (list.ValueKind == JsonValueKind.Null
                || !list.EnumerateArray().Any(p => p.GetProperty("Peer").GetString() == peer && p.GetProperty("Addr").GetString() == address))
            {
                return;
            }
            // The close reaches second a moment after first's command returned: look again shortly.
            await Task.Delay(50, timeout.Token);
        }
    }
}
