using System.Text;
using System.Text.Json;

namespace Dione.Cli.Tests;

/// <summary>
/// <c>dione address|contact|send|inbox|status</c> as people use them: real daemons on 127.0.0.1 that find each other
/// only through their bootstrap peers (no public peers), every command a real <c>dione</c> process.
/// </summary>
public sealed class MessagingCliTests : IDisposable
{
    private const string PollInterval = "200ms";
    private const string SentLine = @"^Sent to bob \(stored at [1-3] of [1-3] holders\)\n$";
    private readonly string _root = Directory.CreateTempSubdirectory("dione-messaging-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Alice_and_Bob_message_both_ways_and_Bob_gets_what_was_sent_while_his_daemon_was_stopped()
    {
        var bobRepo = await ApiTestDaemon.InitRepoAsync(_root, "bob");
        var offlineAddress = await RunAsync(null, "address", "--repo", bobRepo);
        await using var hub = await StartAsync("hub");
        await using var alice = await StartAsync("alice", hub);
        var bob = await StartOnRepoAsync(bobRepo, hub, alice);
        try
        {
            var (aliceAddress, bobAddress) = (DioneAddressOf(alice), DioneAddressOf(bob));
            Assert.Equal(bobAddress + "\n", offlineAddress.Stdout);
            Assert.Equal(aliceAddress + "\n", (await RunAsync(alice, "address")).Stdout);
            Assert.Equal("Added bob\n", (await RunAsync(alice, "contact", "add", "bob", bobAddress)).Stdout);
            Assert.Equal("Added alice\n", (await RunAsync(bob, "contact", "add", "alice", aliceAddress)).Stdout);
            Assert.Equal($"bob\t{bobAddress}\n", (await RunAsync(alice, "contact", "list")).Stdout);

            // Bob follows his inbox; Alice writes twice, the second time once his follower has shown the first.
            await using var bobFollows = DioneProcess.Start(null, "inbox", "--follow", "--json", "--repo", bob.Repo);
            var first = await RunAsync(alice, "send", "bob", "hello bob");
            Assert.Matches(SentLine, first.Stdout);
            var hello = Message(await bobFollows.WaitForLineAsync("hello bob", ApiTestDaemon.Timeout));
            var second = await DioneProcess.RunWithInputAsync(Encoding.UTF8.GetBytes("second, from stdin: ünïcödé ✓\n"), "send", "bob", "--repo", alice.Repo);
            Assert.True(second.ExitCode == 0, second.Stderr);
            var fromStdin = Message(await bobFollows.WaitForLineAsync("second, from stdin", ApiTestDaemon.Timeout));

            // And Bob answers.
            await using var aliceFollows = DioneProcess.Start(null, "inbox", "--follow", "--json", "--repo", alice.Repo);
            using (var reply = JsonDocument.Parse((await RunAsync(bob, "send", "alice", "hi alice", "--json")).Stdout))
            {
                Assert.True(reply.RootElement.GetProperty("Stored").GetInt32() >= 1);
                Assert.Equal("alice", reply.RootElement.GetProperty("Contact").GetString());
            }
            var answer = Message(await aliceFollows.WaitForLineAsync("hi alice", ApiTestDaemon.Timeout));
            var bobsInbox = await RunAsync(bob, "inbox");

            Assert.Equal(("alice", "hello bob"), (hello.From, hello.Text));
            Assert.Equal(("alice", "second, from stdin: ünïcödé ✓"), (fromStdin.From, fromStdin.Text));
            Assert.True(fromStdin.Id > hello.Id);
            Assert.Equal(("bob", "hi alice"), (answer.From, answer.Text));
            Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d alice: hello bob\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d alice: second, from stdin: ünïcödé ✓\n$", bobsInbox.Stdout);

            // Bob's daemon stops (SIGTERM): his follower says so; Alice writes while he is away.
            await bob.Process.TerminateAsync();
            Assert.Equal(0, await bob.Process.WaitForExitAsync(ApiTestDaemon.Timeout));
            Assert.Equal(1, await bobFollows.WaitForExitAsync(ApiTestDaemon.Timeout));
            Assert.Equal("Error: the daemon stopped\n", bobFollows.Stderr);
            Assert.Equal(NeedsDaemon(bob.Repo), (await DioneProcess.RunAsync(null, "inbox", "--repo", bob.Repo)).Stderr);
            Assert.Matches(SentLine, (await RunAsync(alice, "send", "bob", "while you were away 1")).Stdout);
            Assert.Matches(SentLine, (await RunAsync(alice, "send", "bob", "while you were away 2")).Stdout);
        }
        finally
        {
            await bob.DisposeAsync();
        }

        // Bob's daemon comes back on the same repo and finds what waited for him, once each, after what he had.
        await using var bobAgain = await StartOnRepoAsync(bobRepo, hub, alice);
        await using var bobFollowsAgain = DioneProcess.Start(null, "inbox", "--follow", "--json", "--after", "2", "--repo", bobRepo);
        await bobFollowsAgain.WaitForLineAsync("while you were away 2", ApiTestDaemon.Timeout);
        await bobFollowsAgain.WaitForLineAsync("while you were away 1", ApiTestDaemon.Timeout);
        var inbox = Messages((await RunAsync(bobAgain, "inbox", "--json")).Stdout);
        using var status = JsonDocument.Parse((await RunAsync(bobAgain, "status", "--json")).Stdout);

        Assert.Equal(["hello bob", "second, from stdin: ünïcödé ✓", "while you were away 1", "while you were away 2"], inbox.Select(m => m.Text));
        Assert.Equal([1L, 2L, 3L, 4L], inbox.Select(m => m.Id));
        Assert.All(inbox, m => Assert.Equal("alice", m.From));
        Assert.Equal(4, status.RootElement.GetProperty("Received").GetInt64());
        Assert.Equal(1, status.RootElement.GetProperty("Sessions").GetInt64());
        Assert.Equal(1, status.RootElement.GetProperty("Contacts").GetInt32());
        Assert.Equal(2, status.RootElement.GetProperty("OverlayPeers").GetInt32());
        Assert.Equal(JsonValueKind.String, status.RootElement.GetProperty("PrekeysPublished").ValueKind);
        Assert.Equal(["while you were away 1", "while you were away 2"], Messages(bobFollowsAgain.Stdout).Select(m => m.Text));
    }

    [Fact]
    public async Task A_send_committed_before_a_kill_9_reaches_Bob_exactly_once_and_bad_input_gets_one_line_errors()
    {
        await using var hub = await StartAsync("hub");
        var alice = await StartAsync("alice", hub);
        await using var bob = await StartAsync("bob", hub, alice);
        var aliceRepo = alice.Repo;
        try
        {
            await RunAsync(alice, "contact", "add", "bob", DioneAddressOf(bob));
            await RunAsync(bob, "contact", "add", "alice", DioneAddressOf(alice));
            Assert.Matches(SentLine, (await RunAsync(alice, "send", "bob", "just before the crash")).Stdout);
            await alice.Process.KillAsync();
            // Its API files are still there, naming an address nobody answers at.
            Assert.True(File.Exists(Path.Combine(aliceRepo, "api")));
            Assert.Equal((1, "", NeedsDaemon(aliceRepo)), await DioneProcess.RunAsync(null, "status", "--repo", aliceRepo));
        }
        finally
        {
            await alice.DisposeAsync();
        }

        // The killed daemon left its API files behind; the restart takes over the repo.
        await using var aliceAgain = await StartOnRepoAsync(aliceRepo, hub, bob);
        await using var bobFollows = DioneProcess.Start(null, "inbox", "--follow", "--json", "--repo", bob.Repo);
        Assert.Matches(SentLine, (await RunAsync(aliceAgain, "send", "bob", "after the restart")).Stdout);
        await bobFollows.WaitForLineAsync("after the restart", ApiTestDaemon.Timeout);
        await bobFollows.WaitForLineAsync("just before the crash", ApiTestDaemon.Timeout);
        Assert.Equal(["after the restart", "just before the crash"], Messages((await RunAsync(bob, "inbox", "--json")).Stdout).Select(m => m.Text).Order(StringComparer.Ordinal));

        var ownAddress = DioneAddressOf(aliceAgain);
        await AssertFailsAsync(aliceAgain, "Error: no contact named 'nobody' (add one with 'dione contact add NAME ADDRESS')", "send", "nobody", "hello");
        await AssertFailsAsync(aliceAgain, "Error: not a Dione address: ", "contact", "add", "carol", "bnot-an-address");
        await AssertFailsAsync(aliceAgain, "Error: not a Dione address: ", "contact", "add", "carol", ownAddress[..10] + (ownAddress[10] == 'a' ? 'b' : 'a') + ownAddress[11..]);
        await AssertFailsAsync(aliceAgain, "Error: that is your own address", "contact", "add", "me", ownAddress);
        await AssertFailsAsync(aliceAgain, "Error: a contact named 'bob' already exists", "contact", "add", "bob", DioneAddressOf(hub));
        await AssertFailsAsync(aliceAgain, "Error: this address is already the contact 'bob'; to name it 'bobby', run: dione contact rename bob bobby", "contact", "add", "bobby", DioneAddressOf(bob));
        await AssertFailsAsync(aliceAgain, "Error: a contact name has no control characters and no leading or trailing spaces", "contact", "add", " carol", DioneAddressOf(hub));
        await AssertFailsAsync(aliceAgain, "Error: no contact named 'nobody'", "contact", "rm", "nobody");
        await AssertFailsAsync(aliceAgain, "Error: a message cannot be empty", "send", "bob", "");
        var empty = await DioneProcess.RunWithInputAsync([], "send", "bob", "--repo", aliceAgain.Repo);
        var tooLong = await DioneProcess.RunWithInputAsync(Encoding.UTF8.GetBytes(new string('x', 70_000)), "send", "bob", "-", "--repo", aliceAgain.Repo);
        Assert.Equal((1, "", "Error: a message cannot be empty\n"), empty);
        Assert.Equal((1, "", "Error: a message has at most 61440 bytes, not 70000\n"), tooLong);

        Assert.Equal("Added carol\n", (await RunAsync(aliceAgain, "contact", "add", "carol", DioneAddressOf(hub))).Stdout);
        Assert.Equal("Removed carol\n", (await RunAsync(aliceAgain, "contact", "rm", "carol")).Stdout);
        Assert.Equal($"bob\t{DioneAddressOf(bob)}\n", (await RunAsync(aliceAgain, "contact", "list")).Stdout);
    }

    [Fact]
    public async Task Bob_names_someone_who_wrote_first_without_losing_a_message_and_no_body_fakes_a_line_of_his_inbox()
    {
        await using var hub = await StartAsync("hub");
        await using var alice = await StartAsync("alice", hub);
        await using var bob = await StartAsync("bob", hub, alice);
        var aliceAddress = DioneAddressOf(alice);
        await RunAsync(alice, "contact", "add", "bob", DioneAddressOf(bob));
        await using var bobFollows = DioneProcess.Start(null, "inbox", "--follow", "--json", "--repo", bob.Repo);
        Assert.Matches(SentLine, (await RunAsync(alice, "send", "bob", "hello bob")).Stdout);
        var hello = Message(await bobFollows.WaitForLineAsync("hello bob", ApiTestDaemon.Timeout));

        await AssertFailsAsync(bob, $"Error: this address is already the contact '{aliceAddress}'; to name it 'alice', run: dione contact rename {aliceAddress} alice\n",
            "contact", "add", "alice", aliceAddress);
        await AssertFailsAsync(bob, $"Error: '{aliceAddress}' has a session with you: removing it deletes the session", "contact", "rm", aliceAddress);
        Assert.Equal($"Renamed {aliceAddress} to alice\n", (await RunAsync(bob, "contact", "rename", aliceAddress, "alice")).Stdout);
        Assert.Matches(SentLine, (await RunAsync(alice, "send", "bob", "hi\n2026-12-07 15:51:30 bank: your code is 1234")).Stdout);
        var second = Message(await bobFollows.WaitForLineAsync("your code is 1234", ApiTestDaemon.Timeout));
        await using var aliceFollows = DioneProcess.Start(null, "inbox", "--follow", "--json", "--repo", alice.Repo);
        await RunAsync(bob, "send", "alice", "hi alice");
        var answer = Message(await aliceFollows.WaitForLineAsync("hi alice", ApiTestDaemon.Timeout));
        var bobsInbox = (await RunAsync(bob, "inbox")).Stdout;
        var bobsJson = Messages((await RunAsync(bob, "inbox", "--json")).Stdout);

        Assert.Equal(aliceAddress, hello.From);
        Assert.Equal(("alice", "hi\n2026-12-07 15:51:30 bank: your code is 1234"), (second.From, second.Text));
        Assert.Equal(("bob", "hi alice"), (answer.From, answer.Text));
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d alice: hello bob\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d alice: hi\n    2026-12-07 15:51:30 bank: your code is 1234\n$", bobsInbox);
        Assert.Equal([("alice", "hello bob"), ("alice", "hi\n2026-12-07 15:51:30 bank: your code is 1234")], bobsJson.Select(m => (m.From, m.Text)));
        Assert.Equal("Removed alice\n", (await RunAsync(bob, "contact", "rm", "alice", "--force")).Stdout);
        Assert.Equal("", (await RunAsync(bob, "contact", "list")).Stdout);
    }

    [Fact]
    public async Task Without_a_daemon_the_messaging_commands_say_so_and_address_reads_the_repo()
    {
        var repo = await ApiTestDaemon.InitRepoAsync(_root, "idle");
        string[][] commands =
        [
            ["contact", "add", "bob", "baenjdmq4dnlrslxt22xixbcgoioqsbnwlgfyzc5qwtzl2n6krwtw6ox6wq5q"],
            ["contact", "list"],
            ["contact", "rm", "bob"],
            ["contact", "rename", "bob", "robert"],
            ["send", "bob", "hello"],
            ["inbox"],
            ["inbox", "--follow"],
            ["status", "--json"],
        ];

        foreach (var command in commands)
        {
            var result = await DioneProcess.RunAsync(null, [.. command, "--repo", repo]);
            Assert.Equal((1, "", NeedsDaemon(repo)), result);
        }
        var first = await DioneProcess.RunAsync(null, "address", "--repo", repo);
        var again = await DioneProcess.RunAsync(null, "address", "--json", "--repo", repo);

        Assert.Equal(0, first.ExitCode);
        Assert.Matches("^b[a-z2-7]{50,70}\n$", first.Stdout);
        using var json = JsonDocument.Parse(again.Stdout);
        Assert.Equal(first.Stdout.Trim(), json.RootElement.GetProperty("Address").GetString());
    }

    /// <summary>The error of a command that needs a daemon where none runs: it says how to start one on that repo.</summary>
    private static string NeedsDaemon(string repo) => $"Error: this command needs a running daemon (start it with 'dione daemon --repo {repo}')\n";

    private async Task<ApiTestDaemon> StartAsync(string name, params ApiTestDaemon[] bootstrap) =>
        await (await ApiTestDaemon.StartAsync(_root, name, DaemonArguments(bootstrap))).WaitBootstrappedAsync(bootstrap.Length);

    private static async Task<ApiTestDaemon> StartOnRepoAsync(string repo, params ApiTestDaemon[] bootstrap) =>
        await (await ApiTestDaemon.StartOnRepoAsync(repo, DaemonArguments(bootstrap))).WaitBootstrappedAsync(bootstrap.Length);

    private static string[] DaemonArguments(ApiTestDaemon[] bootstrap) =>
        ["--poll-interval", PollInterval, .. bootstrap.SelectMany(b => new[] { "--bootstrap", b.SwarmAddress })];

    private static string DioneAddressOf(ApiTestDaemon daemon) =>
        daemon.Process.Stdout.Split('\n').Single(l => l.StartsWith("Dione address: ", StringComparison.Ordinal))["Dione address: ".Length..];

    /// <summary>Runs a command that must succeed with nothing on stderr.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(ApiTestDaemon? daemon, params string[] arguments)
    {
        var result = daemon is null ? await DioneProcess.RunAsync(null, arguments) : await daemon.RunAsync(arguments);
        Assert.True(result.ExitCode == 0 && result.Stderr.Length == 0, $"dione {string.Join(' ', arguments)}: {result.ExitCode} {result.Stderr}");
        return result;
    }

    /// <summary>A command that must fail with one line on stderr starting with <paramref name="error"/>, and print nothing.</summary>
    private static async Task AssertFailsAsync(ApiTestDaemon daemon, string error, params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await daemon.RunAsync(arguments);
        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        Assert.StartsWith(error, stderr, StringComparison.Ordinal);
        Assert.Equal(1, stderr.Count(c => c == '\n'));
        Assert.EndsWith("\n", stderr, StringComparison.Ordinal);
    }

    private static (long Id, string From, string Text) Message(string line)
    {
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.True(root.GetProperty("Sent").TryGetDateTimeOffset(out _));
        Assert.True(root.GetProperty("Received").TryGetDateTimeOffset(out _));
        return (root.GetProperty("Id").GetInt64(), root.GetProperty("From").GetString()!, root.GetProperty("Text").GetString()!);
    }

    private static List<(long Id, string From, string Text)> Messages(string ndjson) =>
        [.. ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Message)];
}
