using System.Net;
using System.Net.Http.Headers;

namespace Dione.Cli.Tests;

/// <summary>
/// A <c>dione daemon</c> for API tests: its own repo (no public bootstrap peers), swarm and API on 127.0.0.1 with
/// port 0, the API address it printed and the token it wrote. Disposing kills the process.
/// </summary>
public sealed class ApiTestDaemon : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private ApiTestDaemon(DioneProcess process, string repo, string swarmAddress, IPEndPoint api, string token)
    {
        Process = process;
        Repo = repo;
        SwarmAddress = swarmAddress;
        Api = api;
        Token = token;
    }

    public DioneProcess Process { get; }

    public string Repo { get; }

    /// <summary>The swarm address the daemon printed, with <c>/p2p/ID</c>.</summary>
    public string SwarmAddress { get; }

    public string PeerId => SwarmAddress.Split("/p2p/")[1];

    public IPEndPoint Api { get; }

    public string Token { get; }

    public static async Task<string> InitRepoAsync(string root, string name)
    {
        var repo = Path.Combine(root, name);
        Assert.Equal(0, (await DioneProcess.RunAsync(null, "init", "--repo", repo)).ExitCode);
        Assert.Equal(0, (await DioneProcess.RunAsync(null, "bootstrap", "rm", "--all", "--repo", repo)).ExitCode);
        return repo;
    }

    public static async Task<ApiTestDaemon> StartAsync(string root, string name, params string[] arguments) =>
        await StartOnRepoAsync(await InitRepoAsync(root, name), arguments);

    /// <summary>Starts a daemon on an existing repo (a restart keeps the repo's identity, contacts and messages).</summary>
    public static async Task<ApiTestDaemon> StartOnRepoAsync(string repo, params string[] arguments)
    {
        var process = DioneProcess.Start(null, ["daemon", "--repo", repo, "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "/ip4/127.0.0.1/tcp/0", "--dht-mode", "server", .. arguments]);
        try
        {
            await process.WaitForLineAsync("Daemon is ready", Timeout);
            var swarm = (await process.WaitForLineAsync("Swarm listening on ", Timeout))["Swarm listening on ".Length..].Trim();
            var api = (await process.WaitForLineAsync("RPC API server listening on ", Timeout))["RPC API server listening on ".Length..].Trim();
            var parts = api.Split('/');
            Assert.Equal(["", "ip4", "127.0.0.1", "tcp"], parts[..4]);
            var token = await File.ReadAllTextAsync(Path.Combine(repo, "api.token"));
            return new ApiTestDaemon(process, repo, swarm, new IPEndPoint(IPAddress.Loopback, int.Parse(parts[4], System.Globalization.CultureInfo.InvariantCulture)), token);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// This daemon once it joined through <paramref name="peers"/> bootstrap peers (overlay joined, prekeys published);
    /// disposed when it does not within <see cref="Timeout"/>.
    /// </summary>
    public async Task<ApiTestDaemon> WaitBootstrappedAsync(int peers)
    {
        if (peers > 0)
        {
            try
            {
                await Process.WaitForLineAsync($"Bootstrapped with {peers} of {peers} peers", Timeout);
            }
            catch
            {
                await DisposeAsync();
                throw;
            }
        }
        return this;
    }

    /// <summary>Runs <c>dione</c> with this daemon's repo.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) =>
        DioneProcess.RunAsync(null, [.. arguments, "--repo", Repo]);

    /// <summary>An HTTP client for the API; with the token unless <paramref name="withToken"/> is false.</summary>
    public HttpClient HttpClient(bool withToken = true)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://{Api}/api/v0/"), Timeout = Timeout };
        if (withToken)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }
        return client;
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
