using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace Dione.Cli.Tests;

/// <summary>
/// <c>scripts/soak-messaging.sh</c> as CI runs it: two minutes of real daemons on 127.0.0.1 exchanging messages while
/// holders and the people's own daemons are killed with SIGKILL, sends cut in flight, and first contacts made at once.
/// </summary>
[Collection(CliInteropCollection.Name)]
public sealed class SoakScriptTests(ITestOutputHelper output)
{
    /// <summary>Two minutes of churn, then a drain of at most five minutes, start-up and shut-down: a hang beyond this.</summary>
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task Two_minutes_of_churn_lose_duplicate_and_reuse_nothing()
    {
        var (exitCode, stdout, stderr) = await RunSoakAsync("--minutes", "2", "--nodes", "10", "--pairs", "2");

        var lastLine = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        output.WriteLine(lastLine);
        Assert.True(lastLine.StartsWith('{'), $"no JSON line at the end (exit {exitCode})\n{stdout}\n{stderr}");
        using var json = JsonDocument.Parse(lastLine);
        var result = json.RootElement;
        var report = $"{lastLine}\n{stderr}";
        Assert.Equal(2, result.GetProperty("minutes").GetInt32());
        Assert.True(result.GetProperty("messages").GetInt32() > 0, report);
        Assert.True(result.GetProperty("kills").GetInt32() > 0, report);
        // About one person kill every 5 s, three in four of them during a send; a first contact at once within the first minute.
        Assert.True(result.GetProperty("kills_during_send").GetInt32() > 0, report);
        Assert.True(result.GetProperty("simultaneous_first_contacts").GetInt32() > 0, report);
        Assert.True(result.GetProperty("lost").GetInt32() == 0, report);
        Assert.True(result.GetProperty("duplicates").GetInt32() == 0, report);
        Assert.True(result.GetProperty("key_reuse").GetInt32() == 0, report);
        Assert.True(result.GetProperty("out_of_sent_order").GetInt32() == 0, report);
        Assert.True(result.GetProperty("stores_session").GetInt32() > 0, report);
        Assert.True(exitCode == 0, $"exit {exitCode}\n{report}");
    }

    /// <summary>
    /// Runs the script with the dione built beside the tests; on a hang, SIGTERM (the script stops every daemon it
    /// started, by PID) and then SIGKILL to the script itself.
    /// </summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunSoakAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(RepositoryRoot(), "scripts", "soak-messaging.sh"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["DIONE_DLL"] = Path.Combine(AppContext.BaseDirectory, "dione.dll");
        info.Environment.Remove("DIONE_PATH");
        info.Environment.Remove("SOAK_KEEP");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(ScriptTimeout);
        }
        catch (TimeoutException)
        {
            using (var terminate = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await terminate.WaitForExitAsync();
            }
            try
            {
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                process.Kill();
            }
            throw new TimeoutException($"the soak did not end within {ScriptTimeout}\n{await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "scripts", "soak-messaging.sh")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"no scripts/soak-messaging.sh above {AppContext.BaseDirectory}");
    }
}
