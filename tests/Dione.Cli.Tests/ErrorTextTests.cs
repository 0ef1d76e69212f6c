namespace Dione.Cli.Tests;

/// <summary>
/// Errors in the user's language: no .NET type names, the hint names the command's own help, hints keep the
/// <c>--repo</c> given, an address typo is called one; and a bare command group prints its help.
/// </summary>
public sealed class ErrorTextTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dione-errors-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("'abc' is not a whole number for --count (see 'dione ping --help')", "ping", "-n", "abc", "/ip4/127.0.0.1/tcp/1")]
    [InlineData("'lots' is not a whole number for --upload-bytes (see 'dione perf --help')", "perf", "--upload-bytes", "lots", "/ip4/127.0.0.1/tcp/1")]
    [InlineData("'-5' is out of range for --upload-bytes (a whole number from 0 to 18446744073709551615) (see 'dione perf --help')", "perf", "--upload-bytes", "-5", "/ip4/127.0.0.1/tcp/1")]
    [InlineData("'x' is not a whole number for --after (see 'dione inbox --help')", "inbox", "--after", "x")]
    [InlineData("'many' is not a whole number for --max-unanswered-sessions (see 'dione daemon --help')", "daemon", "--max-unanswered-sessions", "many")]
    [InlineData("'99999999999' is out of range for --nodes (a whole number from -2147483648 to 2147483647) (see 'dione demo --help')", "demo", "--nodes", "99999999999")]
    [InlineData("'ten' is not a whole number for --num-providers (see 'dione routing findprovs --help')", "routing", "findprovs", "-n", "ten", "bafkqaaa")]
    public async Task A_value_of_the_wrong_kind_is_described_in_words_not_as_a_dotnet_type(string expected, params string[] arguments)
    {
        var result = await DioneProcess.RunAsync(null, [.. arguments, "--repo", Path.Combine(_root, "none")]);

        Assert.Equal((1, "", $"Error: {expected}\n"), result);
    }

    [Theory]
    [InlineData("unknown command or argument '--bogus' (see 'dione swarm peers --help')", "swarm", "peers", "--bogus")]
    [InlineData("unknown command or argument 'frobnicate' (see 'dione swarm --help')", "swarm", "frobnicate")]
    [InlineData("unknown command or argument 'frobnicate' (see 'dione --help')", "frobnicate")]
    [InlineData("unknown command or argument 'extra' (see 'dione contact list --help')", "contact", "list", "extra")]
    public async Task A_parse_error_points_to_the_help_of_the_command_that_was_given(string expected, params string[] arguments)
    {
        var result = await DioneProcess.RunAsync(null, arguments);

        Assert.Equal((1, "", $"Error: {expected}\n"), result);
    }

    [Fact]
    public async Task An_unexpected_error_is_one_line_without_dotnet_names_and_debug_logging_shows_the_details()
    {
        // No repo can be made under /proc: a failure the command does not expect.
        var plain = await DioneProcess.RunAsync(null, "init", "--repo", "/proc/dione-test");
        var debug = await DioneProcess.RunAsync(new Dictionary<string, string> { ["DIONE_LOG_LEVEL"] = "debug" }, "init", "--repo", "/proc/dione-test");

        Assert.Equal(2, plain.ExitCode);
        Assert.Equal("", plain.Stdout);
        var line = Assert.Single(plain.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Error: ", line, StringComparison.Ordinal);
        Assert.EndsWith(" (unexpected; DIONE_LOG_LEVEL=debug shows the details)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", line, StringComparison.Ordinal);
        Assert.Equal(2, debug.ExitCode);
        Assert.StartsWith(line + "\n", debug.Stderr, StringComparison.Ordinal);
        Assert.Contains("Exception", debug.Stderr, StringComparison.Ordinal);
        Assert.Contains("   at ", debug.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hints_keep_the_repo_that_was_given_and_only_that()
    {
        var idle = await ApiTestDaemon.InitRepoAsync(_root, "idle");
        var missing = Path.Combine(_root, "missing");
        var spaced = Path.Combine(_root, "my repo");
        var fromEnvironment = new Dictionary<string, string> { ["DIONE_PATH"] = missing };

        var status = await DioneProcess.RunAsync(null, "status", "--repo", idle);
        var id = await DioneProcess.RunAsync(null, "id", "--repo", missing);
        var contacts = await DioneProcess.RunAsync(null, "contact", "list", "--repo", missing);
        var quoted = await DioneProcess.RunAsync(null, "id", "--repo", spaced);
        var viaEnvironment = await DioneProcess.RunAsync(fromEnvironment, "id");

        Assert.Equal((1, "", $"Error: this command needs a running daemon (start it with 'dione daemon --repo {idle}')\n"), status);
        Assert.Equal((1, "", $"Error: no dione repo at {missing}; run 'dione init --repo {missing}' first\n"), id);
        Assert.Equal((1, "", $"Error: no dione repo at {missing}; run 'dione init --repo {missing}' first\n"), contacts);
        Assert.Equal((1, "", $"Error: no dione repo at {spaced}; run 'dione init --repo \"{spaced}\"' first\n"), quoted);
        Assert.Equal((1, "", $"Error: no dione repo at {missing}; run 'dione init' first\n"), viaEnvironment);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task A_one_character_typo_in_a_contacts_address_says_the_checksum_does_not_match()
    {
        await using var daemon = await ApiTestDaemon.StartAsync(_root, "typo");
        var address = (await daemon.Process.WaitForLineAsync("Dione address: ", ApiTestDaemon.Timeout))["Dione address: ".Length..].Trim();
        // The last character, whose four unused bits a base32 decoder would complain of, and the version character.
        var lastChanged = address[..^1] + (address[^1] == 'b' ? 'c' : 'b');
        var versionChanged = address[..1] + (address[1] == 'b' ? 'c' : 'b') + address[2..];

        var last = await daemon.RunAsync("contact", "add", "bob", lastChanged);
        var version = await daemon.RunAsync("contact", "add", "bob", versionChanged);

        const string expected = "Error: not a Dione address: the Dione address checksum does not match (a typing or copying error)\n";
        Assert.Equal((1, "", expected), last);
        Assert.Equal((1, "", expected), version);
    }

    [Theory]
    [InlineData]
    [InlineData("swarm")]
    [InlineData("routing")]
    [InlineData("contact")]
    [InlineData("bootstrap")]
    public async Task A_bare_command_group_prints_its_help_on_stdout_and_exits_0(params string[] group)
    {
        var bare = await DioneProcess.RunAsync(null, group);
        var help = await DioneProcess.RunAsync(null, [.. group, "--help"]);

        Assert.Equal((0, ""), (bare.ExitCode, bare.Stderr));
        Assert.Equal(help.Stdout, bare.Stdout);
        Assert.Contains("Usage:", bare.Stdout, StringComparison.Ordinal);
        Assert.Contains("Commands:", bare.Stdout, StringComparison.Ordinal);
    }
}
