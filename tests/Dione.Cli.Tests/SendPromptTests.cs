using System.Text;
using System.Text.Json;

namespace Dione.Cli.Tests;

/// <summary><c>dione send NAME</c> with no message reads it from stdin, and on a terminal says how to end it.</summary>
[Collection(CliInteropCollection.Name)]
public sealed class SendPromptTests : IDisposable
{
    private const string Prompt = "type the message, end with Ctrl-D";
    private readonly string _root = Directory.CreateTempSubdirectory("dione-prompt-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task On_a_terminal_send_prompts_before_reading_and_from_a_pipe_it_prints_nothing_extra()
    {
        await using var alice = await ApiTestDaemon.StartAsync(_root, "alice", "--poll-interval", "200ms");
        await using var bob = await ApiTestDaemon.StartAsync(_root, "bob", "--poll-interval", "200ms", "--bootstrap", alice.SwarmAddress);
        await bob.Process.WaitForLineAsync("Bootstrapped with 1 of 1 peers", ApiTestDaemon.Timeout);
        var bobAddress = (await bob.Process.WaitForLineAsync("Dione address: ", ApiTestDaemon.Timeout))["Dione address: ".Length..].Trim();
        Assert.Equal(0, (await alice.RunAsync("contact", "add", "bob", bobAddress)).ExitCode);
        await using var bobFollows = DioneProcess.Start(null, "inbox", "--follow", "--json", "--repo", bob.Repo);

        // The message is typed only once the prompt is on the terminal.
        await using var terminal = TerminalProcess.Start("send", "bob", "--repo", alice.Repo);
        await terminal.WaitForOutputAsync(Prompt, ApiTestDaemon.Timeout);
        await terminal.TypeAndEndAsync("typed on a terminal\n");
        var exitCode = await terminal.WaitForExitAsync(ApiTestDaemon.Timeout);
        var typed = await bobFollows.WaitForLineAsync("typed on a terminal", ApiTestDaemon.Timeout);
        var piped = await DioneProcess.RunWithInputAsync(Encoding.UTF8.GetBytes("piped in\n"), "send", "bob", "--repo", alice.Repo);
        var pipedLine = await bobFollows.WaitForLineAsync("piped in", ApiTestDaemon.Timeout);

        Assert.True(exitCode == 0, terminal.Output);
        Assert.Matches(@"Sent to bob \(stored at [12] of [12] holders\)", terminal.Output);
        Assert.True(terminal.Output.IndexOf(Prompt, StringComparison.Ordinal) < terminal.Output.IndexOf("typed on a terminal", StringComparison.Ordinal));
        Assert.Equal("typed on a terminal", Text(typed));
        Assert.Equal(0, piped.ExitCode);
        Assert.Equal("", piped.Stderr);
        Assert.Matches(@"^Sent to bob \(stored at [12] of [12] holders\)\n$", piped.Stdout);
        Assert.Equal("piped in", Text(pipedLine));
    }

    private static string Text(string inboxLine)
    {
        using var json = JsonDocument.Parse(inboxLine);
        return json.RootElement.GetProperty("Text").GetString()!;
    }
}
