using System.Diagnostics;
using Dione.TestSupport;
using Dione.TestSupport.Interop;

namespace Dione.Cli.Tests;

/// <summary>
/// README's marked shell blocks (<see cref="ReadmeExample"/>), run as a user pastes them: bash, with <c>dione</c> on
/// the PATH (the build beside these tests), repos in a temporary folder instead of <c>/tmp</c>, and the README's own
/// ports on 127.0.0.1 (below the range the kernel hands out for port 0, so the other tests cannot take them; and the
/// collection runs alone). Each block passes when every output its comments promise has appeared and no line said
/// <c>Error:</c>; the commands it left running (daemons, <c>inbox --follow</c>) are then stopped by PID.
/// </summary>
[Collection(CliInteropCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ReadmeExamplesTests : IDisposable
{
    private static readonly string ReadmePath = Path.Combine(InteropDirectory.FindRepositoryRoot(), "README.md");

    private readonly string _root = Directory.CreateTempSubdirectory("dione-readme-").FullName;

    public static TheoryData<string> Blocks() => [.. ReadmeExample.ReadAll(ReadmePath).Select(e => e.Name)];

    [Fact]
    public void The_README_marks_its_runnable_blocks()
    {
        var names = ReadmeExample.ReadAll(ReadmePath).Select(e => e.Name).ToList();
        Assert.Equal(["dht", "messaging"], names);
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public async Task A_README_block_pasted_into_bash_prints_what_it_promises(string name)
    {
        var example = ReadmeExample.ReadAll(ReadmePath).Single(e => e.Name == name);
        var expectations = example.Expectations;
        Assert.NotEmpty(expectations);
        var bin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        var wrapper = Path.Combine(bin, "dione");
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec dotnet '{Path.Combine(AppContext.BaseDirectory, "dione.dll")}' \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var pidFile = Path.Combine(_root, "pids");
        var script = Path.Combine(_root, $"{name}.sh");
        File.WriteAllText(script, example.ToScript(_root, pidFile));

        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        info.Environment.Remove("DIONE_PATH");
        info.Environment["HOME"] = Directory.CreateDirectory(Path.Combine(_root, "home")).FullName;
        info.Environment["PATH"] = bin + ":" + info.Environment["PATH"];
        var output = new List<string>();
        var missing = expectations.ToList();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (output)
            {
                if (done.Task.IsCompleted)
                {
                    return; // What the commands print as they are stopped is not the README's.
                }
                output.Add(line);
                missing.RemoveAll(e => e.IsMatch(line));
                if (line.StartsWith("Error:", StringComparison.Ordinal) || missing.Count == 0)
                {
                    done.TrySetResult();
                }
            }
        }
        using var bash = new Process { StartInfo = info, EnableRaisingEvents = true };
        bash.OutputDataReceived += (_, e) => OnLine(e.Data);
        bash.ErrorDataReceived += (_, e) => OnLine(e.Data);
        bash.Start();
        bash.BeginOutputReadLine();
        bash.BeginErrorReadLine();
        try
        {
            await Task.WhenAny(done.Task, bash.WaitForExitAsync()).WaitAsync(2 * Timeouts.Test);
        }
        catch (TimeoutException)
        {
        }
        finally
        {
            done.TrySetResult();
            StopAll(bash, pidFile);
        }
        lock (output)
        {
            var transcript = string.Join('\n', output);
            Assert.DoesNotContain(output, l => l.StartsWith("Error:", StringComparison.Ordinal));
            Assert.True(missing.Count == 0, $"README block '{name}' never printed {string.Join(", ", missing.Select(m => $"/{m}/"))}; it printed:\n{transcript}");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static bool IsDione(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("dione.dll", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Stops the commands the block sent to the background, then bash and whatever it still runs.</summary>
    private static void StopAll(Process bash, string pidFile)
    {
        var pids = File.Exists(pidFile) ? File.ReadAllLines(pidFile).Select(int.Parse) : [];
        foreach (var pid in pids)
        {
            if (!IsDione(pid))
            {
                continue; // It ended, and its number may be another process's by now.
            }
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
            catch (InvalidOperationException)
            {
            }
        }
        if (!bash.HasExited)
        {
            bash.Kill(entireProcessTree: true);
            bash.WaitForExit(TimeSpan.FromSeconds(10));
        }
    }
}
