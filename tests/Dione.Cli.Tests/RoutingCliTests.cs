using System.Text.Json;
using Dione.Libp2p.Identity;

namespace Dione.Cli.Tests;

/// <summary>
/// <c>dione bootstrap</c> and <c>dione routing</c> as a user runs them, against dione daemons serving the DHT on
/// 127.0.0.1. Every repo's default (public) bootstrap list is removed first: nothing leaves the machine.
/// </summary>
public sealed class RoutingCliTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _root = Directory.CreateTempSubdirectory("dione-routing-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Bootstrap_lists_start_with_kubos_defaults_and_can_be_edited()
    {
        var repo = Path.Combine(_root, "edit");
        Assert.Equal(0, (await DioneProcess.RunAsync(null, "init", "--repo", repo)).ExitCode);
        var peer = "/ip4/127.0.0.1/tcp/4101/p2p/" + PeerId.FromPublicKey(PrivateKey.Generate().PublicKey);

        var defaults = await DioneProcess.RunAsync(null, "bootstrap", "list", "--repo", repo);
        var removed = await DioneProcess.RunAsync(null, "bootstrap", "rm", "--all", "--repo", repo);
        var added = await DioneProcess.RunAsync(null, "bootstrap", "add", peer, "--repo", repo);
        var listed = await DioneProcess.RunAsync(null, "bootstrap", "list", "--json", "--repo", repo);
        var invalid = await DioneProcess.RunAsync(null, "bootstrap", "add", "/ip4/127.0.0.1/tcp/1", "--repo", repo);

        Assert.Contains("/dnsaddr/bootstrap.libp2p.io/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN", defaults.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, removed.ExitCode);
        Assert.Equal($"added {peer}\n", added.Stdout);
        using var json = JsonDocument.Parse(listed.Stdout);
        Assert.Equal([peer], json.RootElement.GetProperty("Peers").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(1, invalid.ExitCode);
        Assert.StartsWith("Error: invalid bootstrap peer", invalid.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routing_commands_find_peers_providers_and_records_through_daemons()
    {
        await using var first = await StartDaemonAsync("first");
        await using var second = await StartDaemonAsync("second", "--bootstrap", first.Address);
        await second.Process.WaitForLineAsync("Bootstrapped with 1 of 1 peers", Timeout);
        var secondId = second.Address.Split("/p2p/")[1];
        const string Cid = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
        var key = PrivateKey.Generate();
        var keyFile = Path.Combine(_root, "pk");
        await File.WriteAllBytesAsync(keyFile, key.PublicKey.ToProtobuf());
        var pkKey = "/pk/" + PeerId.FromPublicKey(key.PublicKey);

        var found = await DioneProcess.RunAsync(null, "routing", "findpeer", secondId, "--bootstrap", first.Address);
        var foundJson = await DioneProcess.RunAsync(null, "routing", "findpeer", secondId, "--bootstrap", first.Address, "--json");
        var provided = await DioneProcess.RunAsync(null, "routing", "provide", Cid, "--repo", first.Repo, "--bootstrap", second.Address, "--json");
        var providers = await DioneProcess.RunAsync(null, "routing", "findprovs", Cid, "--bootstrap", second.Address, "--quiet");
        var put = await DioneProcess.RunAsync(null, "routing", "put", pkKey, keyFile, "--bootstrap", first.Address);
        var got = await DioneProcess.RunAsync(null, "routing", "get", pkKey, "--bootstrap", second.Address, "--json");

        Assert.True(found.ExitCode == 0, found.Stderr);
        Assert.Contains(second.Address.Split("/p2p/")[0], found.Stdout.Split('\n'));
        Assert.True(foundJson.ExitCode == 0, foundJson.Stderr);
        Assert.Contains(second.Address.Split("/p2p/")[0], QueryEventAssert.NamesPeer(foundJson.Stdout, 2, secondId));
        Assert.True(provided.ExitCode == 0, provided.Stderr);
        // The first daemon shares the announcing identity, so only the second one is asked to store: one FinalPeer event.
        Assert.Equal([secondId], QueryEventAssert.PeersOf(provided.Stdout, 2));
        Assert.True(providers.ExitCode == 0, providers.Stderr);
        Assert.Equal([first.Address.Split("/p2p/")[1]], providers.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("", providers.Stderr);
        Assert.True(put.ExitCode == 0, put.Stderr);
        Assert.StartsWith("record stored on 2 peers", put.Stdout, StringComparison.Ordinal);
        Assert.Contains("hop 1: ", put.Stderr, StringComparison.Ordinal);
        Assert.True(got.ExitCode == 0, got.Stderr);
        Assert.Equal(key.PublicKey.ToProtobuf(), Convert.FromBase64String(QueryEventAssert.Is(got.Stdout, 5).GetProperty("Extra").GetString()!));
    }

    [Theory]
    [InlineData("routing", "findpeer", "not-a-peer", "--bootstrap", "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")]
    [InlineData("routing", "findprovs", "not-a-cid", "--bootstrap", "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")]
    [InlineData("routing", "get", "nokey", "--bootstrap", "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")]
    [InlineData("routing", "findpeer", "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA", "--bootstrap", "/ip4/127.0.0.1/tcp/1")]
    [InlineData("routing", "findpeer", "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA", "--bootstrap", "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")]
    [InlineData("daemon", "--dht-mode", "sometimes")]
    public async Task Bad_routing_input_and_unreachable_bootstrap_peers_give_one_error_line(params string[] arguments)
    {
        var repo = await InitAsync("bad");

        var (exitCode, stdout, stderr) = await DioneProcess.RunAsync(null, [.. arguments, "--repo", repo]);

        Assert.NotEqual(0, exitCode);
        Assert.Equal("", stdout);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1 && lines[0].StartsWith("Error: ", StringComparison.Ordinal), stderr);
    }

    private async Task<string> InitAsync(string name)
    {
        var repo = Path.Combine(_root, name);
        Assert.Equal(0, (await DioneProcess.RunAsync(null, "init", "--repo", repo)).ExitCode);
        Assert.Equal(0, (await DioneProcess.RunAsync(null, "bootstrap", "rm", "--all", "--repo", repo)).ExitCode);
        return repo;
    }

    private async Task<RunningDaemon> StartDaemonAsync(string name, params string[] arguments)
    {
        var repo = await InitAsync(name);
        var process = DioneProcess.Start(null, ["daemon", "--repo", repo, "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "/ip4/127.0.0.1/tcp/0", "--dht-mode", "server", .. arguments]);
        await process.WaitForLineAsync("Daemon is ready", Timeout);
        var line = await process.WaitForLineAsync("Swarm listening on ", Timeout);
        return new RunningDaemon(process, line["Swarm listening on ".Length..].Trim(), repo);
    }

    private sealed record RunningDaemon(DioneProcess Process, string Address, string Repo) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }
}
