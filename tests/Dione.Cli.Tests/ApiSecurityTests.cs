using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;

namespace Dione.Cli.Tests;

/// <summary>
/// Who may use the daemon's API: only loopback (by binding), only with the token from the owner-only token file,
/// never from a browser page of another origin or through a rebound DNS name.
/// </summary>
public sealed class ApiSecurityTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dione-api-security-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_daemon_writes_its_loopback_address_and_an_owner_only_token_and_removes_both_when_it_stops()
    {
        await using var daemon = await ApiTestDaemon.StartAsync(_root, "files");
        var apiFile = Path.Combine(daemon.Repo, "api");
        var tokenFile = Path.Combine(daemon.Repo, "api.token");

        Assert.Equal($"/ip4/127.0.0.1/tcp/{daemon.Api.Port}", await File.ReadAllTextAsync(apiFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
        Assert.True(daemon.Token.Length >= 43, daemon.Token); // 32 random bytes in base64url
        await daemon.Process.TerminateAsync();
        Assert.Equal(0, await daemon.Process.WaitForExitAsync(ApiTestDaemon.Timeout));
        Assert.False(File.Exists(apiFile));
        Assert.False(File.Exists(tokenFile));
    }

    [Fact]
    public async Task Requests_without_the_right_token_get_401_and_with_it_200()
    {
        await using var daemon = await ApiTestDaemon.StartAsync(_root, "token");
        using var anonymous = daemon.HttpClient(withToken: false);
        using var authorized = daemon.HttpClient();

        using var missing = await anonymous.PostAsync("id", null);
        using var wrong = await SendAsync(anonymous, "id", r => r.Headers.Authorization = new("Bearer", daemon.Token[..^1] + (daemon.Token[^1] == 'A' ? 'B' : 'A')));
        using var basic = await SendAsync(anonymous, "id", r => r.Headers.Authorization = new("Basic", daemon.Token));
        using var right = await authorized.PostAsync("id", null);

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        await AssertKuboErrorAsync(missing, 1, "token");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, basic.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        using var id = JsonDocument.Parse(await right.Content.ReadAsStringAsync());
        Assert.Equal(daemon.PeerId, id.RootElement.GetProperty("ID").GetString());
    }

    [Theory]
    [InlineData("Host", "evil.example")]
    [InlineData("Host", "evil.example:5101")]
    [InlineData("Origin", "http://evil.example")]
    [InlineData("Origin", "null")]
    [InlineData("Origin", "http://127.0.0.1:1")]
    public async Task Foreign_hosts_and_browser_origins_get_403_even_with_the_token(string header, string value)
    {
        await using var daemon = await ApiTestDaemon.StartAsync(_root, "origin");
        using var client = daemon.HttpClient();

        using var refused = await SendAsync(client, "id", r =>
        {
            if (header == "Host")
            {
                r.Headers.Host = value;
            }
            else
            {
                r.Headers.Add(header, value);
            }
        });
        using var ownOrigin = await SendAsync(client, "id", r => r.Headers.Add("Origin", $"http://127.0.0.1:{daemon.Api.Port}"));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        await AssertKuboErrorAsync(refused, 1, "403");
        Assert.Equal(HttpStatusCode.OK, ownOrigin.StatusCode);
    }

    [Fact]
    public async Task The_api_is_bound_to_loopback_only_and_a_non_loopback_api_address_is_refused()
    {
        await using var daemon = await ApiTestDaemon.StartAsync(_root, "bind");
        var repo = await ApiTestDaemon.InitRepoAsync(_root, "wildcard");

        var wildcard = await DioneProcess.RunAsync(null, "daemon", "--repo", repo, "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "/ip4/0.0.0.0/tcp/0");
        var external = LocalNonLoopbackAddresses().ToList();
        foreach (var address in external)
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            var error = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(new IPEndPoint(address, daemon.Api.Port)));
            Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        }

        Assert.True(IPAddress.IsLoopback(daemon.Api.Address));
        Assert.NotEqual(0, wildcard.ExitCode);
        Assert.Equal("", wildcard.Stdout);
        Assert.Matches("^Error: refusing to serve the API on '/ip4/0.0.0.0/tcp/0': only loopback", wildcard.Stderr);
        Assert.Single(wildcard.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(Path.Combine(repo, "api")));
    }

    [Fact]
    public async Task An_api_port_already_in_use_gives_one_error_line_and_leaves_no_files()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        var repo = await ApiTestDaemon.InitRepoAsync(_root, "occupied");

        var (exitCode, stdout, stderr) = await DioneProcess.RunAsync(null, "daemon", "--repo", repo, "--listen", "/ip4/127.0.0.1/tcp/0", "--api", $"/ip4/127.0.0.1/tcp/{port}");

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        Assert.StartsWith($"Error: cannot serve the API on /ip4/127.0.0.1/tcp/{port}: ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(Path.Combine(repo, "api")));
        Assert.False(File.Exists(Path.Combine(repo, "api.token")));
    }

    private static IEnumerable<IPAddress> LocalNonLoopbackAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    internal static async Task<HttpResponseMessage> SendAsync(HttpClient client, string command, Action<HttpRequestMessage> change)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, command);
        change(request);
        return await client.SendAsync(request);
    }

    internal static async Task AssertKuboErrorAsync(HttpResponseMessage response, int code, string messagePart)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["Message", "Code", "Type"], error.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Contains(messagePart, error.RootElement.GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.Equal(code, error.RootElement.GetProperty("Code").GetInt32());
        Assert.Equal("error", error.RootElement.GetProperty("Type").GetString());
    }
}
