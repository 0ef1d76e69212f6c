using System.Buffers.Binary;

namespace Dione.Cli.Tests;

/// <summary>
/// <c>dione key export|import</c> as a person restoring a lost disk uses them: real <c>dione</c> processes, repos in a
/// temporary folder, daemons on 127.0.0.1 with no public bootstrap peers.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KeyCliTests : IDisposable
{
    private const string WrongOrDamaged = "Error: wrong passphrase or damaged key file\n";
    private const string PollInterval = "200ms";
    private readonly string _root = Directory.CreateTempSubdirectory("dione-keys-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Export_then_import_into_a_new_repo_gives_the_same_peer_id_and_Dione_address()
    {
        var original = await ApiTestDaemon.InitRepoAsync(_root, "original");
        var address = (await Succeeds("address", "--repo", original)).Stdout;
        var keyFile = Path.Combine(_root, "backup.key");
        var passphrase = WritePassphrase("export.pass", "two words\n");
        var sameWithoutNewline = WritePassphrase("import.pass", "two words");
        var restored = Path.Combine(_root, "restored");
        var peerId = await PeerIdOfAsync(original);

        var export = await Succeeds("key", "export", "-o", keyFile, "--passphrase-file", passphrase, "--repo", original);
        var import = await Succeeds("key", "import", keyFile, "--passphrase-file", sameWithoutNewline, "--repo", restored);
        var again = await Succeeds("key", "import", keyFile, "--passphrase-file", passphrase, "--repo", restored);

        Assert.Equal(peerId, await PeerIdOfAsync(restored));
        Assert.Equal(address, (await Succeeds("address", "--repo", restored)).Stdout);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Equal($"exported peer identity {peerId} and Dione address {address.Trim()} to {keyFile}\n", export.Stdout);
        Assert.Equal($"initialized dione node at {restored}\nimported peer identity {peerId} and Dione address {address.Trim()} into {restored}\n", import.Stdout);
        Assert.StartsWith("Warning: the key file holds your identities only, not your sessions, contacts or messages.", export.Stderr, StringComparison.Ordinal);
        Assert.Contains("must start over", import.Stderr, StringComparison.Ordinal);
        Assert.Equal($"the repo {restored} already holds peer identity {peerId} and Dione address {address.Trim()}; nothing changed\n", again.Stdout);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(restored, "identity.key")));
    }

    [Fact]
    public async Task An_existing_file_or_a_different_identity_is_replaced_only_with_force()
    {
        var original = await ApiTestDaemon.InitRepoAsync(_root, "original");
        var other = await ApiTestDaemon.InitRepoAsync(_root, "other");
        var otherAddress = (await Succeeds("address", "--repo", other)).Stdout.Trim();
        var otherPeerId = await PeerIdOfAsync(other);
        var keyFile = Path.Combine(_root, "backup.key");
        var passphrase = WritePassphrase("pass", "secret\n");
        await File.WriteAllTextAsync(keyFile, "keep me");

        var overwrite = await DioneProcess.RunAsync(null, "key", "export", "-o", keyFile, "--passphrase-file", passphrase, "--repo", original);
        Assert.Equal((1, "", $"Error: {keyFile} already exists; pass --force to overwrite it\n"), overwrite);
        Assert.Equal("keep me", await File.ReadAllTextAsync(keyFile));
        await Succeeds("key", "export", "-o", keyFile, "--force", "--passphrase-file", passphrase, "--repo", original);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));

        var refused = await DioneProcess.RunAsync(null, "key", "import", keyFile, "--passphrase-file", passphrase, "--repo", other);
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal(
            $"Error: the repo {other} holds another node identity {otherPeerId} (peers that know this node by its peer id will not find it again) "
            + $"and another Dione identity {otherAddress} with 0 contacts, 0 sessions, 0 received and 0 unsent messages (all deleted); "
            + "importing would lose it for good: export it first if you may need it, then pass --force\n",
            refused.Stderr);
        Assert.Equal(otherAddress + "\n", (await Succeeds("address", "--repo", other)).Stdout);

        // The passphrase from a pipe, as `--passphrase-file <(pass show dione)` gives it.
        var forced = await DioneProcess.RunWithInputAsync("secret\n"u8.ToArray(), "key", "import", keyFile, "--force", "--passphrase-file", "/dev/stdin", "--repo", other);
        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.Equal(await PeerIdOfAsync(original), await PeerIdOfAsync(other));
        Assert.Equal((await Succeeds("address", "--repo", original)).Stdout, (await Succeeds("address", "--repo", other)).Stdout);
    }

    [Fact]
    public async Task A_wrong_passphrase_a_damaged_hostile_or_oversized_file_and_a_missing_passphrase_get_one_line_errors()
    {
        var original = await ApiTestDaemon.InitRepoAsync(_root, "original");
        var keyFile = Path.Combine(_root, "backup.key");
        var passphrase = WritePassphrase("pass", "secret\n");
        await Succeeds("key", "export", "-o", keyFile, "--passphrase-file", passphrase, "--repo", original);
        var good = await File.ReadAllBytesAsync(keyFile);
        var flipped = good.ToArray();
        flipped[^5] ^= 0x01;
        var hostile = good.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(hostile.AsSpan(14), 64 * 1024 * 1024); // 64 GiB, in KiB
        var cases = new (string Name, byte[] File, string Passphrase, string Error)[]
        {
            ("wrong passphrase", good, WritePassphrase("wrong", "Secret\n"), WrongOrDamaged),
            ("truncated", good[..^20], passphrase, WrongOrDamaged),
            ("header only", good[..30], passphrase, WrongOrDamaged),
            ("flipped byte", flipped, passphrase, WrongOrDamaged),
            ("hostile KDF", hostile, passphrase, "Error: the key file asks for a KDF cost of 3 iterations over 67108864 KiB, outside the bounds this dione accepts (1-10 iterations, 8-262144 KiB): damaged or not made by dione\n"),
            ("empty passphrase", good, WritePassphrase("empty", "\n"), "Error: the passphrase is empty; a key file needs one\n"),
        };

        foreach (var (name, file, passphraseFile, error) in cases)
        {
            var path = Path.Combine(_root, name.Replace(' ', '-') + ".key");
            await File.WriteAllBytesAsync(path, file);
            var result = await DioneProcess.RunAsync(null, "key", "import", path, "--passphrase-file", passphraseFile, "--repo", Path.Combine(_root, "restored"));
            Assert.True((1, "", error) == result, $"{name}: {result}");
        }
        var oversized = Path.Combine(_root, "oversized.key");
        await File.WriteAllBytesAsync(oversized, [.. good, .. new byte[64 * 1024]]);
        Assert.Equal((1, "", $"Error: the key file {oversized} is larger than 65536 bytes\n"),
            await DioneProcess.RunAsync(null, "key", "import", oversized, "--passphrase-file", passphrase, "--repo", Path.Combine(_root, "restored")));
        // stdin is a pipe here, not a terminal: no prompt, and no passphrase read from piped input.
        Assert.Equal((1, "", "Error: no passphrase: stdin is not a terminal; pass --passphrase-file FILE\n"),
            await DioneProcess.RunAsync(null, "key", "import", keyFile, "--repo", Path.Combine(_root, "restored")));
        Assert.Equal((1, "", "Error: no passphrase: stdin is not a terminal; pass --passphrase-file FILE\n"),
            await DioneProcess.RunAsync(null, "key", "export", "-o", Path.Combine(_root, "second.key"), "--repo", original));
        Assert.False(Directory.Exists(Path.Combine(_root, "restored")));
        Assert.False(File.Exists(Path.Combine(_root, "second.key")));
    }

    [Fact]
    public async Task A_contact_reaches_an_identity_restored_into_a_new_repo_at_the_same_address()
    {
        var passphrase = WritePassphrase("pass", "lost disk\n");
        var keyFile = Path.Combine(_root, "alice.key");
        await using var hub = await StartAsync(await ApiTestDaemon.InitRepoAsync(_root, "hub"));
        var alice = await StartAsync(await ApiTestDaemon.InitRepoAsync(_root, "alice"), hub);
        string aliceAddress;
        await using var bob = await StartAsync(await ApiTestDaemon.InitRepoAsync(_root, "bob"), hub, alice);
        try
        {
            // Alice and Bob talk, so Bob has a session with Alice's identity.
            aliceAddress = (await Succeeds("address", "--repo", alice.Repo)).Stdout.Trim();
            var bobAddress = (await Succeeds("address", "--repo", bob.Repo)).Stdout.Trim();
            await Succeeds("contact", "add", "bob", bobAddress, "--repo", alice.Repo);
            await Succeeds("contact", "add", "alice", aliceAddress, "--repo", bob.Repo);
            await using (var bobFollows = DioneProcess.Start(null, "inbox", "--follow", "--repo", bob.Repo))
            {
                await Succeeds("send", "bob", "before the disk died", "--repo", alice.Repo);
                await bobFollows.WaitForLineAsync("alice: before the disk died", ApiTestDaemon.Timeout);
            }

            // Alice exports beside her running daemon; then her disk is lost.
            await Succeeds("key", "export", "-o", keyFile, "--passphrase-file", passphrase, "--repo", alice.Repo);
            await alice.Process.TerminateAsync();
            Assert.Equal(0, await alice.Process.WaitForExitAsync(ApiTestDaemon.Timeout));
        }
        finally
        {
            await alice.DisposeAsync();
        }
        Directory.Delete(alice.Repo, recursive: true);

        // She restores her identities into a new repo and starts a daemon on it.
        var restoredRepo = Path.Combine(_root, "alice-restored");
        await Succeeds("key", "import", keyFile, "--passphrase-file", passphrase, "--repo", restoredRepo);
        await Succeeds("bootstrap", "rm", "--all", "--repo", restoredRepo);
        Assert.Equal(aliceAddress + "\n", (await Succeeds("address", "--repo", restoredRepo)).Stdout);
        await using var restored = await StartAsync(restoredRepo, hub, bob);
        Assert.Equal(alice.PeerId, restored.PeerId);
        Assert.Equal((1, "", $"Error: a dione daemon is running on the repo {restoredRepo}; stop it to run this command\n"),
            await DioneProcess.RunAsync(null, "key", "import", keyFile, "--force", "--passphrase-file", passphrase, "--repo", restoredRepo));

        // Bob starts over, as the warning tells him to, and writes to the same address: the restored Alice reads it.
        await using var aliceFollows = DioneProcess.Start(null, "inbox", "--follow", "--repo", restoredRepo);
        await Succeeds("contact", "rm", "alice", "--force", "--repo", bob.Repo);
        await Succeeds("contact", "add", "alice", aliceAddress, "--repo", bob.Repo);
        await Succeeds("send", "alice", "found you again", "--repo", bob.Repo);
        var line = await aliceFollows.WaitForLineAsync("found you again", ApiTestDaemon.Timeout);
        Assert.EndsWith($"{(await Succeeds("address", "--repo", bob.Repo)).Stdout.Trim()}: found you again", line, StringComparison.Ordinal);
    }

    private string WritePassphrase(string name, string content)
    {
        var path = Path.Combine(_root, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<string> PeerIdOfAsync(string repo) =>
        (await Succeeds("id", "--repo", repo)).Stdout.Split('\n')[0]["ID:".Length..].Trim();

    /// <summary>A daemon on <paramref name="repo"/> once it joined through its bootstrap peers (overlay joined, prekeys published).</summary>
    private static async Task<ApiTestDaemon> StartAsync(string repo, params ApiTestDaemon[] bootstrap) =>
        await (await ApiTestDaemon.StartOnRepoAsync(repo, ["--poll-interval", PollInterval, .. bootstrap.SelectMany(b => new[] { "--bootstrap", b.SwarmAddress })]))
            .WaitBootstrappedAsync(bootstrap.Length);

    /// <summary>Runs a command that must succeed.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> Succeeds(params string[] arguments)
    {
        var result = await DioneProcess.RunAsync(null, arguments);
        Assert.True(result.ExitCode == 0, $"dione {string.Join(' ', arguments)}: {result.ExitCode} {result.Stderr}");
        return result;
    }
}
