using Dione.Cli.Repo;

namespace Dione.Cli.Tests;

/// <summary>
/// One process writes a repo: the daemon holds <c>&lt;repo&gt;/repo.lock</c> (an OS lock) for its life, and commands
/// that write the repo go through it or refuse while it does.
/// </summary>
public sealed class RepoLockTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dione-lock-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_second_daemon_and_the_direct_writers_are_refused_while_a_daemon_holds_the_lock_even_without_its_api_file()
    {
        await using var daemon = await ApiTestDaemon.StartAsync(_root, "locked");
        var config = await File.ReadAllTextAsync(Path.Combine(daemon.Repo, "config"));
        File.Delete(Path.Combine(daemon.Repo, "api"));

        // Each waits for the lock or the API (the daemon might be starting), then gives up; so does a command that
        // only works through the API.
        var refused = await Task.WhenAll(
            daemon.RunAsync("daemon", "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "/ip4/127.0.0.1/tcp/0"),
            daemon.RunAsync("address"),
            daemon.RunAsync("bootstrap", "add", "--default"),
            daemon.RunAsync("status"));
        using var api = daemon.HttpClient();
        using var stillServing = await api.PostAsync("id", content: null);

        var expected = $"Error: cannot acquire lock {Path.Combine(daemon.Repo, "repo.lock")}: someone else has the lock "
            + "(a dione daemon whose API does not answer, or another command writing the repo)\n";
        Assert.All(refused, r => Assert.Equal((1, "", expected), r));
        Assert.Equal(config, await File.ReadAllTextAsync(Path.Combine(daemon.Repo, "config")));
        Assert.True(stillServing.IsSuccessStatusCode);
    }

    [Fact]
    public async Task While_a_daemon_runs_address_goes_through_it_and_bootstrap_changes_are_refused()
    {
        await using var daemon = await ApiTestDaemon.StartAsync(_root, "busy");
        var config = await File.ReadAllTextAsync(Path.Combine(daemon.Repo, "config"));
        var daemonAddress = (await daemon.Process.WaitForLineAsync("Dione address: ", ApiTestDaemon.Timeout))["Dione address: ".Length..].Trim();

        var address = await daemon.RunAsync("address");
        var add = await daemon.RunAsync("bootstrap", "add", "--default");
        var remove = await daemon.RunAsync("bootstrap", "rm", "--all");

        Assert.Equal((0, daemonAddress + "\n", ""), address);
        var refusal = $"Error: a dione daemon is running on the repo {daemon.Repo}; stop it to run this command\n";
        Assert.Equal((1, "", refusal), add);
        Assert.Equal((1, "", refusal), remove);
        Assert.Equal(config, await File.ReadAllTextAsync(Path.Combine(daemon.Repo, "config")));
    }

    [Fact]
    public async Task The_lock_is_held_by_the_OS_while_the_daemon_runs_and_released_when_it_stops()
    {
        var repo = await ApiTestDaemon.InitRepoAsync(_root, "stops");
        await using var daemon = await ApiTestDaemon.StartOnRepoAsync(repo);

        using (var whileRunning = RepoLock.TryAcquire(repo))
        {
            Assert.Null(whileRunning);
        }
        await daemon.Process.TerminateAsync();
        Assert.Equal(0, await daemon.Process.WaitForExitAsync(ApiTestDaemon.Timeout));

        using var afterStop = RepoLock.TryAcquire(repo);
        Assert.NotNull(afterStop);
        Assert.False(File.Exists(Path.Combine(repo, "api")));
    }

    [Fact]
    public async Task After_a_kill_9_the_lock_is_gone_and_a_new_daemon_starts_on_the_repo()
    {
        var repo = await ApiTestDaemon.InitRepoAsync(_root, "killed");
        await using (var daemon = await ApiTestDaemon.StartOnRepoAsync(repo))
        {
            using (var whileRunning = RepoLock.TryAcquire(repo))
            {
                Assert.Null(whileRunning);
            }
            await daemon.Process.KillAsync();
        }
        // The killed daemon's files stay behind; only the lock went with the process.
        Assert.True(File.Exists(Path.Combine(repo, "repo.lock")));
        Assert.True(File.Exists(Path.Combine(repo, "api")));

        await using var again = await ApiTestDaemon.StartOnRepoAsync(repo);
        var status = await again.RunAsync("status", "--json");

        Assert.True(status.ExitCode == 0, status.Stderr);
    }

    [Fact]
    public async Task Two_inits_at_once_make_one_repo_and_the_other_says_it_exists()
    {
        for (var round = 0; round < 10; round++)
        {
            var repo = Path.Combine(_root, $"init{round}");

            var results = await Task.WhenAll(DioneProcess.RunAsync(null, "init", "--repo", repo), DioneProcess.RunAsync(null, "init", "--repo", repo));

            var made = Assert.Single(results, r => r.ExitCode == 0);
            var refused = Assert.Single(results, r => r.ExitCode != 0);
            Assert.Equal($"Error: dione configuration file already exists at {Path.Combine(repo, "config")}; reinitializing would overwrite your keys\n", refused.Stderr);
            var id = await DioneProcess.RunAsync(null, "id", "--repo", repo);
            Assert.Contains(id.Stdout.Split('\n')[0]["ID:".Length..].Trim(), made.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_address_asked_while_the_daemon_starts_is_the_one_the_daemon_runs_on()
    {
        var repo = await ApiTestDaemon.InitRepoAsync(_root, "starting");

        // Started together, as README's two-person example does; whichever takes the lock first creates the identity.
        await using var daemon = DioneProcess.Start(null, "daemon", "--repo", repo, "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "/ip4/127.0.0.1/tcp/0");
        var address = await DioneProcess.RunAsync(null, "address", "--repo", repo);
        var daemonAddress = (await daemon.WaitForLineAsync("Dione address: ", ApiTestDaemon.Timeout))["Dione address: ".Length..].Trim();

        Assert.Equal((0, daemonAddress + "\n", ""), address);
    }
}
