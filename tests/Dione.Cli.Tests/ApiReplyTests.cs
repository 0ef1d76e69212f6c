using Dione.Cli.Api;
using Dione.Cli.Api.Models;

namespace Dione.Cli.Tests;

/// <summary>
/// The CLI reads the daemon's replies into the API's own models: a reply with a field missing, renamed or null
/// where the model allows none fails the command with one line that names the field, never a quiet 0 or "".
/// </summary>
public sealed class ApiReplyTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dione-api-reply-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task The_client_refuses_a_reply_missing_a_required_field()
    {
        var repo = Path.Combine(_root, "repo");
        await using var server = CannedApiServer.Start(repo, "{\"Id\":7,\"Contact\":\"bob\",\"Wanted\":5}\n");
        using var api = ApiClient.Open(repo);

        var error = await Assert.ThrowsAsync<CliException>(() => api.PostAsync<DioneSendOutput>("dione/send", ["bob"]));

        Assert.Contains("dione/send", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Stored'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task The_client_reads_a_complete_reply_and_skips_fields_it_does_not_know()
    {
        var repo = Path.Combine(_root, "repo");
        await using var server = CannedApiServer.Start(repo, "{\"Id\":7,\"Contact\":\"bob\",\"Stored\":3,\"Wanted\":5,\"Later\":true}\n");
        using var api = ApiClient.Open(repo);

        var reply = await api.PostAsync<DioneSendOutput>("dione/send", ["bob"]);

        Assert.Equal(new DioneSendOutput(7, "bob", 3, 5), reply);
    }

    [Theory]
    [InlineData("{\"Id\":7,\"Contact\":\"bob\",\"Wanted\":5}", "'Stored'", "send", "bob", "hi")]
    [InlineData("{\"Address\":null,\"Contacts\":1,\"Sessions\":1,\"PendingSends\":0,\"Received\":0,\"StoredEnvelopes\":0,\"StoredBytes\":0,\"OverlayPeers\":0,\"PrekeysPublished\":null}", "Address", "status")]
    [InlineData("{\"contacts\":[]}", "'Contacts'", "contact", "list")]
    [InlineData("{\"Id\":1,\"From\":\"alice\",\"Sent\":\"2026-01-01T00:00:00+00:00\",\"Received\":\"2026-01-01T00:00:01+00:00\"}\n", "'Text'", "inbox")]
    [InlineData("{\"Peers\":[{\"Addr\":\"/ip4/127.0.0.1/tcp/4001\",\"Identify\":{\"ID\":\"\",\"PublicKey\":\"\",\"Addresses\":null,\"AgentVersion\":\"\",\"Protocols\":null}}]}", "'Peer'", "swarm", "peers")]
    public async Task A_command_given_an_incomplete_reply_fails_with_one_error_line_naming_the_field(string reply, string field, params string[] command)
    {
        var repo = Path.Combine(_root, "repo");
        await using var server = CannedApiServer.Start(repo, reply + "\n");

        var (exitCode, stdout, stderr) = await DioneProcess.RunAsync(null, [.. command, "--repo", repo]);

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Error: the daemon's reply to ", line, StringComparison.Ordinal);
        Assert.Contains(field, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_given_a_complete_reply_prints_its_numbers()
    {
        var repo = Path.Combine(_root, "repo");
        await using var server = CannedApiServer.Start(repo, "{\"Id\":7,\"Contact\":\"bob\",\"Stored\":3,\"Wanted\":5}\n");

        var (exitCode, stdout, stderr) = await DioneProcess.RunAsync(null, "send", "bob", "hi", "--repo", repo);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal("Sent to bob (stored at 3 of 5 holders)", stdout.Trim());
    }

    [Fact]
    public async Task A_stream_that_ends_in_the_middle_says_the_daemon_stopped_answering()
    {
        var repo = Path.Combine(_root, "repo");
        var message = "{\"Id\":1,\"From\":\"alice\",\"Text\":\"hi\",\"Sent\":\"2026-01-01T00:00:00+00:00\",\"Received\":\"2026-01-01T00:00:01+00:00\"}\n";
        await using var server = CannedApiServer.Start(repo, message, cutShort: true);

        var (exitCode, stdout, stderr) = await DioneProcess.RunAsync(null, "inbox", "--repo", repo);

        Assert.Equal(1, exitCode);
        Assert.Contains("alice: hi", stdout, StringComparison.Ordinal);
        Assert.Equal("Error: the daemon stopped answering in the middle of dione/inbox (it was stopped, or it failed)", stderr.Trim());
    }
}
