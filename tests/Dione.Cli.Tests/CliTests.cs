using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Dione.Libp2p.Identity;

namespace Dione.Cli.Tests;

/// <summary>The <c>dione</c> executable as a user runs it: real processes, real TCP on 127.0.0.1.</summary>
public sealed class CliTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _root = Directory.CreateTempSubdirectory("dione-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Init_creates_a_repo_with_an_owner_only_key_and_refuses_to_overwrite_it()
    {
        var repo = Path.Combine(_root, "repo");

        var first = await DioneProcess.RunAsync(null, "init", "--repo", repo);
        var key = await File.ReadAllBytesAsync(Path.Combine(repo, "identity.key"));
        var second = await DioneProcess.RunAsync(null, "init", "--repo", repo);

        Assert.Equal(0, first.ExitCode);
        Assert.Matches("peer identity: 12D3KooW[1-9A-HJ-NP-Za-km-z]+", first.Stdout);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(repo, "identity.key")));
        Assert.Equal(1, second.ExitCode);
        Assert.Equal("", second.Stdout);
        AssertOneErrorLine(second.Stderr, "already exists");
        Assert.Equal(key, await File.ReadAllBytesAsync(Path.Combine(repo, "identity.key")));
    }

    [Theory]
    [InlineData("ed25519", "12D3KooW")]
    [InlineData("secp256k1", "16Uiu2")]
    [InlineData("ecdsa", "Qm")]
    [InlineData("rsa", "Qm")]
    public async Task Id_json_has_kubos_fields_for_every_key_type(string keyType, string idPrefix)
    {
        var repo = Path.Combine(_root, keyType);
        Assert.Equal(0, (await DioneProcess.RunAsync(null, "init", "--key-type", keyType, "--repo", repo)).ExitCode);

        var (exitCode, stdout, stderr) = await DioneProcess.RunAsync(null, "id", "--json", "--repo", repo);

        Assert.True(exitCode == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var id = json.RootElement.GetProperty("ID").GetString()!;
        Assert.StartsWith(idPrefix, id, StringComparison.Ordinal);
        var key = PublicKey.FromProtobuf(Convert.FromBase64String(json.RootElement.GetProperty("PublicKey").GetString()!));
        Assert.Equal(PeerId.Parse(id), PeerId.FromPublicKey(key));
        Assert.StartsWith("dione/", json.RootElement.GetProperty("AgentVersion").GetString(), StringComparison.Ordinal);
        Assert.Contains("/ipfs/ping/1.0.0", json.RootElement.GetProperty("Protocols").EnumerateArray().Select(p => p.GetString()));
        Assert.All(json.RootElement.GetProperty("Addresses").EnumerateArray(), a => Assert.EndsWith("/p2p/" + id, a.GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_repo_comes_from_DIONE_PATH_when_no_option_is_given()
    {
        var repo = Path.Combine(_root, "from-env");
        var environment = new Dictionary<string, string> { ["DIONE_PATH"] = repo };

        var init = await DioneProcess.RunAsync(environment, "init");
        var id = await DioneProcess.RunAsync(environment, "id");

        Assert.Equal(0, init.ExitCode);
        Assert.True(File.Exists(Path.Combine(repo, "config")));
        Assert.Equal(0, id.ExitCode);
        Assert.Contains(init.Stdout.Split("peer identity: ")[1].Trim().Split('\n')[0], id.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Daemon_prints_its_addresses_serves_ping_and_perf_and_stops_on_SIGTERM()
    {
        var repo = Path.Combine(_root, "daemon");
        Assert.Equal(0, (await DioneProcess.RunAsync(null, "init", "--repo", repo)).ExitCode);
        Assert.Equal(0, (await DioneProcess.RunAsync(null, "bootstrap", "rm", "--all", "--repo", repo)).ExitCode); // stay on loopback
        await using var daemon = DioneProcess.Start(null, "daemon", "--repo", repo, "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "/ip4/127.0.0.1/tcp/0");
        await daemon.WaitForLineAsync("Daemon is ready", Timeout);
        var address = daemon.Stdout.Split('\n').Single(l => l.StartsWith("Swarm listening on ", StringComparison.Ordinal))["Swarm listening on ".Length..];
        Assert.Matches("^/ip4/127.0.0.1/tcp/[0-9]+/p2p/12D3KooW", address);

        var ping = await DioneProcess.RunAsync(null, "ping", "--count", "2", address);
        var pingJson = await DioneProcess.RunAsync(null, "ping", "-n", "1", "--json", address.Split("/p2p/")[0]);
        var perf = await DioneProcess.RunAsync(null, "perf", "--upload-bytes", "1000000", "--download-bytes", "2000000", "--json", address);
        await daemon.TerminateAsync();
        var exitCode = await daemon.WaitForExitAsync(Timeout);

        Assert.True(ping.ExitCode == 0, ping.Stderr);
        Assert.Equal(2, ping.Stdout.Split('\n').Count(l => l.StartsWith("Pong received: time=", StringComparison.Ordinal)));
        Assert.Contains("Average latency: ", ping.Stdout, StringComparison.Ordinal);
        Assert.True(pingJson.ExitCode == 0, pingJson.Stderr);
        using (var pong = JsonDocument.Parse(pingJson.Stdout.Split('\n')[1]))
        {
            Assert.True(pong.RootElement.GetProperty("Success").GetBoolean());
            Assert.True(pong.RootElement.GetProperty("Time").GetInt64() > 0);
        }
        Assert.True(perf.ExitCode == 0, perf.Stderr);
        using (var result = JsonDocument.Parse(perf.Stdout))
        {
            Assert.Equal("final", result.RootElement.GetProperty("Type").GetString());
            Assert.True(result.RootElement.GetProperty("TimeSeconds").GetDouble() > 0);
            Assert.Equal(1_000_000, result.RootElement.GetProperty("UploadBytes").GetInt64());
            Assert.Equal(2_000_000, result.RootElement.GetProperty("DownloadBytes").GetInt64());
        }
        Assert.Equal(0, exitCode);
        Assert.Equal("", daemon.Stderr);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("ping")]
    [InlineData("ping", "not-a-multiaddr")]
    [InlineData("ping", "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWBroken")]
    [InlineData("ping", "--count", "0", "/ip4/127.0.0.1/tcp/1")]
    [InlineData("ping", "--count", "many", "/ip4/127.0.0.1/tcp/1")]
    [InlineData("perf", "--upload-bytes", "lots", "/ip4/127.0.0.1/tcp/1")]
    [InlineData("demo", "--nodes", "many")]
    [InlineData("daemon", "--poll-interval", "soon")]
    [InlineData("daemon", "--max-unanswered-sessions", "many")]
    [InlineData("inbox", "--after", "x")]
    [InlineData("init", "--key-type", "dsa")]
    [InlineData("perf", "--upload-bytes", "-5", "/ip4/127.0.0.1/tcp/1")]
    public async Task Wrong_arguments_give_one_error_line_and_a_non_zero_exit(params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await DioneProcess.RunAsync(null, [.. arguments, "--repo", Path.Combine(_root, "none")]);

        Assert.NotEqual(0, exitCode);
        Assert.Equal("", stdout);
        AssertOneErrorLine(stderr, "");
    }

    [Fact]
    public async Task An_unreachable_peer_gives_one_error_line()
    {
        // A port that was just free and is closed again: connecting to it is refused.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exitCode, stdout, stderr) = await DioneProcess.RunAsync(null, "ping", $"/ip4/127.0.0.1/tcp/{port}");

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        AssertOneErrorLine(stderr, "could not connect");
    }

    [Fact]
    public async Task Commands_that_need_a_repo_say_how_to_make_one()
    {
        var missing = Path.Combine(_root, "missing");

        var (exitCode, _, stderr) = await DioneProcess.RunAsync(null, "id", "--repo", missing);

        Assert.Equal(1, exitCode);
        AssertOneErrorLine(stderr, $"run 'dione init --repo {missing}' first");
    }

    private static void AssertOneErrorLine(string stderr, string expected)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{stderr}");
        Assert.StartsWith("Error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
