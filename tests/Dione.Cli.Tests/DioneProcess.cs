using System.Diagnostics;
using System.Text;

namespace Dione.Cli.Tests;

/// <summary>Runs the real <c>dione</c> executable (dione.dll beside the tests) as a child process.</summary>
public sealed class DioneProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(string Text, TaskCompletionSource<string> Seen)> _waiters = [];

    private DioneProcess(Process process) => _process = process;

    public int ProcessId => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static DioneProcess Start(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dione.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment.Remove("DIONE_PATH");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var dione = new DioneProcess(process);
        process.OutputDataReceived += (_, e) => dione.OnLine(e.Data, dione._stdout, dione._stdoutClosed, matchWaiters: true);
        process.ErrorDataReceived += (_, e) => dione.OnLine(e.Data, dione._stderr, dione._stderrClosed, matchWaiters: false);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return dione;
    }

    /// <summary>Runs dione to completion and returns its exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        await using var dione = Start(environment, arguments);
        var exitCode = await dione.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exitCode, dione.Stdout, dione.Stderr);
    }

    /// <summary>Runs dione with <paramref name="input"/> on its stdin (then closed) to completion.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunWithInputAsync(byte[] input, params string[] arguments)
    {
        await using var dione = Start(null, arguments);
        try
        {
            await dione._process.StandardInput.BaseStream.WriteAsync(input);
            dione._process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It exited without reading its input (an error before it needed it).
        }
        var exitCode = await dione.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exitCode, dione.Stdout, dione.Stderr);
    }

    /// <summary>Waits for a line of stdout containing <paramref name="text"/> and returns that line.</summary>
    public Task<string> WaitForLineAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stdout)
        {
            var existing = _stdout.ToString().Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (existing is not null)
            {
                return Task.FromResult(existing);
            }
            _waiters.Add((text, seen));
        }
        return seen.Task.WaitAsync(timeout);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(timeout);
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as a service manager would.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Sends SIGKILL: the process gets no chance to finish anything.</summary>
    public async Task KillAsync()
    {
        using var kill = Process.Start("kill", ["-KILL", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        await WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    private void OnLine(string? line, StringBuilder buffer, TaskCompletionSource closed, bool matchWaiters)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }
        lock (buffer)
        {
            buffer.Append(line).Append('\n');
            if (!matchWaiters)
            {
                return;
            }
            foreach (var waiter in _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList())
            {
                waiter.Seen.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
