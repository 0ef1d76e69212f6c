using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Dione.Cli.Tests;

/// <summary>
/// Requests the API must survive: unknown commands, other methods, missing and garbage arguments, oversized bodies
/// and request lines, bytes that are not HTTP, and a seeded stream of mutated arguments. Every answer is kubo's
/// (404, 405, or the error JSON), and the daemon keeps answering.
/// </summary>
public sealed class ApiMalformedRequestTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("dione-api-malformed-").FullName;
    private ApiTestDaemon? _daemon;

    private ApiTestDaemon Daemon => _daemon!;

    public async Task InitializeAsync() => _daemon = await ApiTestDaemon.StartAsync(_root, "daemon");

    public async Task DisposeAsync()
    {
        await Daemon.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Unknown_commands_get_404_and_other_methods_405()
    {
        using var client = Daemon.HttpClient();

        using var unknown = await client.PostAsync("frobnicate", null);
        using var get = await client.GetAsync("id");
        using var put = await client.PutAsync("swarm/peers", new ByteArrayContent([]));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("404 page not found\n", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal(["POST"], get.Content.Headers.Allow);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
        await AssertAliveAsync();
    }

    [Theory]
    [InlineData("ping", 400, 1, "argument \"peer ID\" is required")]
    [InlineData("swarm/connect", 400, 1, "argument \"address\" is required")]
    [InlineData("swarm/disconnect?arg=/ip4/127.0.0.1/tcp/1", 400, 1, "invalid peer address")]
    [InlineData("routing/findpeer", 400, 1, "argument \"peerID\" is required")]
    [InlineData("routing/findpeer?arg=not-a-peer", 400, 1, "invalid peer id")]
    [InlineData("routing/findprovs?arg=not-a-cid", 400, 1, "invalid CID")]
    [InlineData("routing/findprovs?arg=bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy&n=0", 500, 0, "number of providers must be greater than 0")]
    [InlineData("routing/get?arg=nokey", 400, 1, "invalid key")]
    [InlineData("routing/put?arg=/pk/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA", 400, 1, "file argument 'value-file' is required")]
    [InlineData("routing/provide", 400, 1, "argument \"key\" is required")]
    [InlineData("ping?arg=12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA&count=abc", 400, 1, "is not an integer")]
    [InlineData("ping?arg=12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA&count=0", 500, 0, "ping count must be greater than 0, was 0")]
    [InlineData("swarm/peers?verbose=maybe", 400, 1, "is not a boolean")]
    public async Task Missing_and_bad_arguments_get_kubos_error_reply(string command, int status, int code, string message)
    {
        using var client = Daemon.HttpClient();

        using var response = await client.PostAsync(command, null);

        Assert.Equal(status, (int)response.StatusCode);
        await ApiSecurityTests.AssertKuboErrorAsync(response, code, message);
    }

    [Fact]
    public async Task Oversized_bodies_and_request_lines_are_refused_and_the_daemon_keeps_answering()
    {
        using var client = Daemon.HttpClient();
        var big = new byte[4 * 1024 * 1024];
        var file = new MultipartFormDataContent { { new ByteArrayContent(new byte[200 * 1024]), "file", "value" } };

        // Answered without reading the body, then closed (Connection: close): the client may see the close while still sending.
        var ignoredBody = await RefusedStatusAsync(() => client.PostAsync("version", new ByteArrayContent(big)));
        using var bigValue = await client.PostAsync("routing/put?arg=/pk/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA", file);
        var tooBig = await RefusedStatusAsync(() => client.PostAsync("routing/put?arg=/pk/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA", new MultipartFormDataContent { { new ByteArrayContent(big), "file", "value" } }));
        using var longLine = await client.PostAsync("id?arg=" + new string('a', 64 * 1024), null);

        Assert.True(ignoredBody is null or HttpStatusCode.OK, ignoredBody.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, bigValue.StatusCode);
        await ApiSecurityTests.AssertKuboErrorAsync(bigValue, 1, "larger than");
        Assert.True(tooBig is null or HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, tooBig.ToString());
        Assert.Equal(HttpStatusCode.RequestUriTooLong, longLine.StatusCode);
        await AssertAliveAsync();
    }

    [Fact]
    public async Task Bytes_that_are_not_http_get_400_and_the_daemon_keeps_answering()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(Daemon.Api);
        await socket.SendAsync(Encoding.ASCII.GetBytes("\x16\x03\x01 GARBAGE \0\0\r\n\r\n"));
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(ApiTestDaemon.Timeout);
        var length = await socket.ReceiveAsync(buffer, timeout.Token);

        Assert.StartsWith("HTTP/1.1 400", Encoding.ASCII.GetString(buffer, 0, length), StringComparison.Ordinal);
        await AssertAliveAsync();
    }

    [Fact]
    public async Task Seeded_mutations_of_arguments_get_only_kubo_shaped_answers()
    {
        string[] commands = ["id", "version", "swarm/peers", "swarm/addrs", "swarm/addrs/local", "swarm/disconnect", "routing/findpeer", "routing/findprovs", "routing/get", "swarm/nope", "ping"];
        string[] valid =
        [
            "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA",
            "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
            "/pk/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA",
            "/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA",
        ];
        var random = new Random(20260521);
        using var client = Daemon.HttpClient();
        for (var i = 0; i < 150; i++)
        {
            var command = commands[random.Next(commands.Length)];
            var argument = Mutate(random, valid[random.Next(valid.Length)]);
            var option = random.Next(3) switch { 0 => "", 1 => "&count=" + random.Next(-2, 3), _ => "&verbose=" + Mutate(random, "true") };

            using var response = await client.PostAsync($"{command}?arg={Uri.EscapeDataString(argument)}{option}", null);
            var body = await response.Content.ReadAsStringAsync();

            var context = $"{command} '{argument}' {option}: {(int)response.StatusCode} {body}";
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.InternalServerError, context);
            if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.InternalServerError)
            {
                using var error = JsonDocument.Parse(body);
                Assert.Equal("error", error.RootElement.GetProperty("Type").GetString());
            }
            else if (response.StatusCode == HttpStatusCode.OK)
            {
                foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    JsonDocument.Parse(line).Dispose();
                }
            }
        }
        await AssertAliveAsync();
    }

    /// <summary>One to three random edits: a character replaced, inserted (including '/', '%' and non-ASCII) or removed.</summary>
    private static string Mutate(Random random, string text) => QueryTextMutator.Mutate(random, text, "/%\0 abcXYZ019+=?&#é\u2028\uFFFD");

    /// <summary>The status of a refused upload, or null when the daemon answered and closed before the client finished sending.</summary>
    private static async Task<HttpStatusCode?> RefusedStatusAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            using var response = await send();
            return response.StatusCode;
        }
        catch (HttpRequestException e) when (e.InnerException is IOException)
        {
            return null;
        }
    }

    private async Task AssertAliveAsync()
    {
        using var client = Daemon.HttpClient();
        using var response = await client.PostAsync("id", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
