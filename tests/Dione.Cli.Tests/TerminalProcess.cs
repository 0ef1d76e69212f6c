using System.Diagnostics;
using System.Text;

namespace Dione.Cli.Tests;

/// <summary>
/// Runs the real <c>dione</c> with a pseudo-terminal as its stdin, stdout and stderr, through util-linux's
/// <c>script</c>: what the test writes is typed on that terminal, and closing the test's side sends end-of-file (as
/// Ctrl-D would). The terminal's output (stdout and stderr together, as a user sees them) is read back.
/// </summary>
public sealed class TerminalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Task _reading;

    private TerminalProcess(Process process)
    {
        _process = process;
        _reading = ReadAsync();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static TerminalProcess Start(params string[] arguments)
    {
        var script = new[] { "/usr/bin/script", "/bin/script" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("this test needs util-linux's 'script' to give dione a terminal");
        var info = new ProcessStartInfo(script)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // -q: no start and end notes; -e: script exits with dione's code; -c: the command line; /dev/null: no typescript.
        var commandLine = string.Join(' ', new[] { "dotnet", Path.Combine(AppContext.BaseDirectory, "dione.dll") }.Concat(arguments).Select(Quote));
        foreach (var argument in new[] { "-q", "-e", "-c", commandLine, "/dev/null" })
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment.Remove("DIONE_PATH");
        var process = Process.Start(info) ?? throw new InvalidOperationException("script did not start");
        return new TerminalProcess(process);
    }

    /// <summary>Waits until the terminal has shown <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await Eventually.TrueAsync(() => Output.Contains(text, StringComparison.Ordinal), cancel.Token);
    }

    /// <summary>Types <paramref name="text"/>, then ends the input (end-of-file, as Ctrl-D).</summary>
    public async Task TypeAndEndAsync(string text)
    {
        await _process.StandardInput.WriteAsync(text);
        await _process.StandardInput.FlushAsync();
        _process.StandardInput.Close();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        await _reading.WaitAsync(timeout);
        return _process.ExitCode;
    }

    private async Task ReadAsync()
    {
        var buffer = new char[4096];
        int read;
        while ((read = await _process.StandardOutput.ReadAsync(buffer)) > 0)
        {
            lock (_output)
            {
                _output.Append(buffer, 0, read);
            }
        }
    }

    /// <summary>One word for <c>sh -c</c>: single-quoted, a single quote inside written as '\''.</summary>
    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

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
