using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Dione.Cli.Repo;

namespace Dione.Cli.Tests;

/// <summary>
/// A daemon that explains its state: its DHT mode and what keeps it from working (no bootstrap peers, an empty
/// overlay) at start and in <c>dione status</c>; commands that wait for a daemon that is starting; the truth when its
/// API token is gone; the address it cannot listen on.
/// </summary>
[Collection(CliInteropCollection.Name)]
public sealed class DaemonExplainsItselfTests : IDisposable
{
    private const string SomeAddress = "baenjdmq4dnlrslxt22xixbcgoioqsbnwlgfyzc5qwtzl2n6krwtw6ox6wq5q";
    private const string AutoOnLoopback = "auto (client until a peer sees this node at a public address, which on a private network never happens: --dht-mode server answers DHT requests at once)";
    private const string NoOverlayPeers = "the Dione overlay has 0 peers: no message can be stored for a contact or fetched until this node reaches another Dione node (through its bootstrap peers, or when one dials it)";
    private readonly string _root = Directory.CreateTempSubdirectory("dione-explains-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_daemon_alone_says_its_dht_mode_and_warns_of_no_bootstrap_peers_at_start_and_of_its_empty_overlay_after()
    {
        var repo = await ApiTestDaemon.InitRepoAsync(_root, "alone");
        var noBootstrap = NoBootstrapPeers(repo);

        // The default DHT mode (auto), as a user starts it.
        await using var daemon = DioneProcess.Start(null, "daemon", "--repo", repo, "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "/ip4/127.0.0.1/tcp/0");
        await daemon.WaitForLineAsync("Daemon is ready", ApiTestDaemon.Timeout);
        var startLines = daemon.Stdout.Split('\n');
        var overlayWarning = await daemon.WaitForLineAsync("the Dione overlay has 0 peers", ApiTestDaemon.Timeout);
        var text = await DioneProcess.RunAsync(null, "status", "--repo", repo);
        var json = await DioneProcess.RunAsync(null, "status", "--json", "--repo", repo);

        var ready = Array.IndexOf(startLines, "Daemon is ready");
        Assert.InRange(Array.IndexOf(startLines, "DHT mode: " + AutoOnLoopback), 0, ready - 1);
        Assert.InRange(Array.IndexOf(startLines, "WARNING: " + noBootstrap), 0, ready - 1);
        Assert.Equal("WARNING: 5 s after start, " + NoOverlayPeers, overlayWarning);
        Assert.Single(daemon.Stdout.Split('\n'), l => l.Contains("overlay has 0 peers", StringComparison.Ordinal));
        Assert.True(text.ExitCode == 0, text.Stderr);
        var lines = text.Stdout.Split('\n');
        Assert.Contains("Overlay peers:     0", lines);
        Assert.Contains("Bootstrap peers:   0", lines);
        Assert.Contains("DHT mode:          " + AutoOnLoopback, lines);
        Assert.Equal(["WARNING: " + noBootstrap, "WARNING: " + NoOverlayPeers], lines.Where(l => l.StartsWith("WARNING", StringComparison.Ordinal)));
        Assert.True(json.ExitCode == 0, json.Stderr);
        using var status = JsonDocument.Parse(json.Stdout);
        Assert.Equal("auto", status.RootElement.GetProperty("DhtMode").GetString());
        Assert.Equal("client", status.RootElement.GetProperty("DhtModeNow").GetString());
        Assert.Equal(0, status.RootElement.GetProperty("BootstrapPeers").GetInt32());
        Assert.Equal([noBootstrap, NoOverlayPeers], status.RootElement.GetProperty("Warnings").EnumerateArray().Select(w => w.GetString()));
    }

    [Fact]
    public async Task A_daemon_joined_through_a_bootstrap_peer_has_no_warnings_and_its_peer_only_lacks_bootstrap_peers()
    {
        await using var hub = await ApiTestDaemon.StartAsync(_root, "hub");
        await using var joined = await ApiTestDaemon.StartAsync(_root, "joined", "--bootstrap", hub.SwarmAddress);
        await joined.Process.WaitForLineAsync("Bootstrapped with 1 of 1 peers", ApiTestDaemon.Timeout);
        // Identify puts each in the other's overlay table as the connection settles.
        foreach (var daemon in new[] { hub, joined })
        {
            await Eventually.TrueAsync(async () => (await StatusAsync(daemon)).GetProperty("OverlayPeers").GetInt32() > 0, Timeouts.Token());
        }

        var text = await joined.RunAsync("status");
        var json = await joined.RunAsync("status", "--json");
        var hubJson = await hub.RunAsync("status", "--json");

        var joinedStart = joined.Process.Stdout.Split('\n');
        Assert.Contains("DHT mode: server", joinedStart);
        Assert.DoesNotContain(joinedStart, l => l.StartsWith("WARNING", StringComparison.Ordinal));
        Assert.Contains("WARNING: " + NoBootstrapPeers(hub.Repo), hub.Process.Stdout.Split('\n'));
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains("Bootstrap peers:   1", text.Stdout.Split('\n'));
        Assert.Contains("DHT mode:          server", text.Stdout.Split('\n'));
        Assert.DoesNotContain("WARNING", text.Stdout, StringComparison.Ordinal);
        using var status = JsonDocument.Parse(json.Stdout);
        Assert.Equal(("server", "server", 1), (status.RootElement.GetProperty("DhtMode").GetString(), status.RootElement.GetProperty("DhtModeNow").GetString(), status.RootElement.GetProperty("BootstrapPeers").GetInt32()));
        Assert.Empty(status.RootElement.GetProperty("Warnings").EnumerateArray());
        using var hubStatus = JsonDocument.Parse(hubJson.Stdout);
        Assert.Equal([NoBootstrapPeers(hub.Repo)], hubStatus.RootElement.GetProperty("Warnings").EnumerateArray().Select(w => w.GetString()));
    }

    [Fact]
    public async Task Commands_run_while_the_daemon_starts_wait_for_it_and_succeed()
    {
        var repo = await ApiTestDaemon.InitRepoAsync(_root, "starting");

        // The daemon in the background, the next commands as soon as it holds the repo lock: it has its node, its stores
        // and its API still to start. (A command that runs before the daemon even took the lock finds no daemon, and
        // RepoLockTests shows the wait on its own: a lock held with no API ever answering.)
        await using var daemon = DioneProcess.Start(null, "daemon", "--repo", repo, "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "/ip4/127.0.0.1/tcp/0");
        await Eventually.TrueAsync(() => IsLocked(repo), Timeouts.Token());
        var results = await Task.WhenAll(
            DioneProcess.RunAsync(null, "contact", "add", "bob", SomeAddress, "--repo", repo),
            DioneProcess.RunAsync(null, "status", "--json", "--repo", repo));

        Assert.Equal((0, "Added bob\n", ""), results[0]);
        Assert.True(results[1].ExitCode == 0, results[1].Stderr);
        using var status = JsonDocument.Parse(results[1].Stdout);
        var daemonAddress = (await daemon.WaitForLineAsync("Dione address: ", ApiTestDaemon.Timeout))["Dione address: ".Length..];
        Assert.Equal(daemonAddress, status.RootElement.GetProperty("Address").GetString());
    }

    [Fact]
    public async Task With_its_api_token_gone_or_unreadable_a_running_daemon_is_named_not_denied()
    {
        await using var daemon = await ApiTestDaemon.StartAsync(_root, "tokenless");
        var token = Path.Combine(daemon.Repo, "api.token");
        var tokenError = $"Error: the daemon's API token {token} is missing or unreadable; restart the daemon\n";

        File.Delete(token);
        var status = await daemon.RunAsync("status");
        var contacts = await daemon.RunAsync("contact", "list");
        var id = await daemon.RunAsync("id");
        var second = await daemon.RunAsync("daemon", "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "/ip4/127.0.0.1/tcp/0");
        Directory.CreateDirectory(token); // a token file that cannot be read
        var unreadable = await daemon.RunAsync("status");

        Assert.Equal((1, "", tokenError), status);
        Assert.Equal((1, "", tokenError), contacts);
        Assert.Equal((1, "", tokenError), id);
        Assert.Equal((1, "", $"Error: another daemon is running on the repo {daemon.Repo} (its API answers at {daemon.Api})\n"), second);
        Assert.Equal((1, "", tokenError), unreadable);
    }

    [Fact]
    public async Task A_daemon_that_cannot_listen_names_the_address()
    {
        var repo = await ApiTestDaemon.InitRepoAsync(_root, "taken");
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var taken = $"/ip4/127.0.0.1/tcp/{((IPEndPoint)occupant.LocalEndpoint).Port}";

        // The second of two addresses: the one that failed is named, not the first.
        var (exitCode, stdout, stderr) = await DioneProcess.RunAsync(null, "daemon", "--repo", repo, "--listen", "/ip4/127.0.0.1/tcp/0", "--listen", taken, "--api", "/ip4/127.0.0.1/tcp/0");

        Assert.Equal((1, "", $"Error: cannot listen on {taken}: address already in use\n"), (exitCode, stdout, stderr));
    }

    private static string NoBootstrapPeers(string repo) =>
        $"no bootstrap peers: this node meets other nodes only when they dial it; stop the daemon and add one with 'dione bootstrap add MULTIADDR --repo {repo}'";

    /// <summary>Whether another process holds the repo lock (taken for a moment to find out when it is free).</summary>
    private static bool IsLocked(string repo)
    {
        using var held = RepoLock.TryAcquire(repo);
        return held is null;
    }

    private static async Task<JsonElement> StatusAsync(ApiTestDaemon daemon)
    {
        using var client = daemon.HttpClient();
        using var response = await client.PostAsync("dione/status", content: null);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }
}
