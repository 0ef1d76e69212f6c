using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dione.Cli.Tests;

/// <summary><c>dione demo</c> as a user runs it: a real process with no repo, its swarm on 127.0.0.1.</summary>
public sealed partial class DemoCliTests : IDisposable
{
    private static readonly string[] SentOnline = ["Hello Bob, this is Alice over the Dione swarm.", "Great. Both ways work."];
    private static readonly string[] SentOffline = ["Bob, are you there?", "I'll leave these in the swarm for you.", "See you when you're back."];
    private const string Reply = "Hi Alice! Got it, and you get this reply.";

    private readonly string _root = Directory.CreateTempSubdirectory("dione-demo-test-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>No repo anywhere (HOME is empty, no DIONE_PATH) and temporary files under a folder of the test's own.</summary>
    private Dictionary<string, string> Environment()
    {
        var home = Directory.CreateDirectory(Path.Combine(_root, "home")).FullName;
        var temp = Directory.CreateDirectory(Path.Combine(_root, "tmp")).FullName;
        return new Dictionary<string, string> { ["HOME"] = home, ["TMPDIR"] = temp };
    }

    [Fact]
    public async Task The_demo_tells_the_whole_story_with_offline_delivery_and_exits_0()
    {
        var environment = Environment();

        var (exitCode, stdout, stderr) = await DioneProcess.RunAsync(environment, "demo", "--nodes", "8");

        Assert.True(exitCode == 0, $"exit {exitCode}\n{stdout}\n{stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.Matches(StampedLine(), l));
        Assert.Contains(lines, l => l.Contains("swarm ready: 8 nodes joined the overlay", StringComparison.Ordinal));
        foreach (var text in SentOnline)
        {
            Assert.Single(lines, l => Regex.IsMatch(l, $@"\] alice → bob: {Regex.Escape(text)} \(stored at \d of 5 holders, \d+ ms(, completed by a retry)?\)$"));
            Assert.Single(lines, l => Regex.IsMatch(l, $@"\] bob received from alice: {Regex.Escape(text)} \(\d+ ms after sending\)$"));
        }
        Assert.Single(lines, l => l.Contains($"] bob → alice: {Reply} (stored at ", StringComparison.Ordinal));
        Assert.Single(lines, l => Regex.IsMatch(l, $@"\] alice received from bob: {Regex.Escape(Reply)} \(\d+ ms after sending\)$"));
        Assert.Single(lines, l => l.Contains("bob learned alice as a contact from her first message", StringComparison.Ordinal));

        // Alice's and Bob's nodes join after the swarm formed: Bob's is node 8 of 8.
        var offline = Array.FindIndex(lines, l => l.Contains("bob went offline: his messenger closed and node 8 stopped (7 nodes left)", StringComparison.Ordinal));
        var back = Array.FindIndex(lines, l => l.Contains("bob is back on new node 9", StringComparison.Ordinal));
        Assert.True(offline > 0 && back > offline, stdout);
        foreach (var text in SentOffline)
        {
            var sent = Array.FindIndex(lines, l => l.Contains($"] alice → bob while bob is offline: {text} (stored at ", StringComparison.Ordinal));
            var received = Array.FindIndex(lines, l => Regex.IsMatch(l, $@"\] bob received from alice: {Regex.Escape(text)} \(\d+ ms after sending, \d+ ms after bob came back\)$"));
            Assert.True(offline < sent && sent < back && back < received, $"'{text}' sent at line {sent}, received at line {received}\n{stdout}");
        }
        Assert.Equal(6, lines.Count(l => l.Contains(" received from ", StringComparison.Ordinal)));
        Assert.Matches(@"done: 6 messages \(3 sent while bob was offline\), each in its recipient's inbox exactly once", lines[^1]);
        Assert.Empty(Directory.GetFileSystemEntries(environment["TMPDIR"]));
        Assert.Empty(Directory.GetFileSystemEntries(environment["HOME"]));
    }

    [Fact]
    public async Task The_demo_in_json_lists_every_message_received_exactly_once()
    {
        var (exitCode, stdout, stderr) = await DioneProcess.RunAsync(Environment(), "demo", "--nodes", "6", "--json");

        Assert.True(exitCode == 0, $"exit {exitCode}\n{stdout}\n{stderr}");
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.True(root.GetProperty("ok").GetBoolean());
        Assert.Equal(6, root.GetProperty("nodes").GetInt32());
        var messages = root.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(6, messages.Count);
        Assert.All(messages, m =>
        {
            Assert.Equal(1, m.GetProperty("copies").GetInt32());
            Assert.Equal(m.GetProperty("wanted").GetInt32(), m.GetProperty("holders").GetInt32());
            Assert.True(m.GetProperty("latency_ms").GetDouble() > 0);
        });
        Assert.Equal(SentOffline, messages.Where(m => m.GetProperty("recipient_offline").GetBoolean()).Select(m => m.GetProperty("text").GetString()));
        Assert.Contains(root.GetProperty("transcript").EnumerateArray(), l => l.GetString()!.Contains("bob is back on new node", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("3")]
    [InlineData("201")]
    [InlineData("many")]
    public async Task A_bad_node_count_is_one_error_line(string nodes)
    {
        var (exitCode, stdout, stderr) = await DioneProcess.RunAsync(Environment(), "demo", "--nodes", nodes);

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Error: ", line, StringComparison.Ordinal);
        Assert.Contains("--nodes", line, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\[ *\d+\.\d\ds\] \S")]
    private static partial Regex StampedLine();
}
