using System.Text.Json;

namespace Dione.Cli.Tests;

/// <summary><c>dione version</c> as kubo's <c>ipfs version</c>: the same answer with or without a daemon, and as the API's.</summary>
public sealed class VersionCliTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dione-version-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Version_prints_kubos_forms_and_the_apis_json_without_a_daemon()
    {
        var number = (await DioneProcess.RunAsync(null, "--version")).Stdout.Trim();
        var repo = Path.Combine(_root, "none");

        var plain = await DioneProcess.RunAsync(null, "version", "--repo", repo);
        var numberOnly = await DioneProcess.RunAsync(null, "version", "--number", "--repo", repo);
        var all = await DioneProcess.RunAsync(null, "version", "--all", "--repo", repo);
        var json = await DioneProcess.RunAsync(null, "version", "--json", "--repo", repo);

        Assert.Matches("^[0-9]+\\.[0-9]+\\.[0-9]+", number);
        Assert.Equal((0, $"dione version {number}\n", ""), plain);
        Assert.Equal((0, number + "\n", ""), numberOnly);
        Assert.Equal(0, all.ExitCode);
        Assert.Matches($"^Dione version: {number}\nSystem version: [a-z0-9]+/[a-z]+\nRuntime version: \\.NET [0-9.]+.*\n$", all.Stdout);
        Assert.Equal(0, json.ExitCode);
        using var reply = JsonDocument.Parse(json.Stdout);
        Assert.Equal(["Version", "Commit", "Repo", "System", "Golang"], reply.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(number, reply.RootElement.GetProperty("Version").GetString());
    }

    [Fact]
    public async Task Version_json_with_a_daemon_is_the_apis_reply()
    {
        await using var daemon = await ApiTestDaemon.StartAsync(_root, "daemon");
        using var http = daemon.HttpClient();

        var json = await daemon.RunAsync("version", "--json");
        using var reply = await http.PostAsync("version", null);

        Assert.Equal(0, json.ExitCode);
        Assert.Equal(await reply.Content.ReadAsStringAsync(), json.Stdout);
    }
}
