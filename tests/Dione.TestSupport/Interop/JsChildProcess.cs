using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Dione.TestSupport.Interop;

/// <summary>
/// One interop/js script running under node as a child process, the plumbing under <see cref="JsPeerProcess"/> and
/// <see cref="JsDhtPeer"/>: started by path without a shell, each stdout line (capped at <see cref="MaxLineChars"/>)
/// parsed as JSON and handed to the owner, the recent lines and stderr kept for diagnostics, commands written to stdin
/// one line at a time. Disposing closes stdin (the scripts' signal to stop), waits briefly, then kills the process tree
/// by PID and waits for it.
/// </summary>
public sealed class JsChildProcess : IAsyncDisposable
{
    /// <summary>Longest stdout or stderr line accepted; longer lines are dropped and noted in <see cref="Stderr"/>.</summary>
    public const int MaxLineChars = 1024 * 1024;

    private const int MaxStderrChars = 256 * 1024;
    private const int DescribedStderrChars = 8192;
    private const int MaxRecentLines = 40;
    private const int MaxRecentLineChars = 2000;
    private static readonly TimeSpan GracefulStopTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly Queue<string> _recentLines = new();
    private readonly StringBuilder _stderr = new();
    private readonly SemaphoreSlim _stdinLock = new(1, 1);
    private Action<JsonElement> _onStdoutJson = _ => { };
    private Action _onStdoutEnded = () => { };
    private Task _stdoutPump = Task.CompletedTask;
    private Task _stderrPump = Task.CompletedTask;
    private volatile bool _stdoutEnded;
    private int _disposed;

    private JsChildProcess(Process process, string description)
    {
        _process = process;
        Description = description;
    }

    /// <summary>The command line, for messages.</summary>
    public string Description { get; }

    /// <summary>The node process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Whether stdout has ended (the process exited or closed it).</summary>
    public bool StdoutEnded => _stdoutEnded;

    /// <summary>Everything written to stderr so far (the last 256 KiB), with the notes of <see cref="Note"/>.</summary>
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

    /// <summary>
    /// Starts <c>node &lt;script&gt; &lt;arguments&gt;</c> in interop/js (<c>$DIONE_NODE</c> instead of node when set);
    /// its output waits in the pipes until <see cref="ReadOutput"/>.
    /// </summary>
    public static JsChildProcess Start(string script, IEnumerable<string> arguments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(script);
        var directory = InteropDirectory.FindJsDirectory();
        var node = Environment.GetEnvironmentVariable("DIONE_NODE") is { Length: > 0 } custom ? custom : "node";
        var startInfo = new ProcessStartInfo(node)
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            CreateNoWindow = true,
        };
        startInfo.ArgumentList.Add(Path.Combine(directory, script));
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var description = $"{node} {string.Join(' ', startInfo.ArgumentList)}";
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {description}.");
        return new JsChildProcess(process, description);
    }

    /// <summary>
    /// Starts reading the output: <paramref name="onStdoutJson"/> gets each stdout line that is JSON, in order, from one
    /// pump task (other lines are noted in <see cref="Stderr"/>); <paramref name="onStdoutEnded"/> runs once when stdout
    /// ends. Separate from <see cref="Start"/> so that the owner holds this object before its callbacks can run.
    /// </summary>
    public void ReadOutput(Action<JsonElement> onStdoutJson, Action onStdoutEnded)
    {
        _onStdoutJson = onStdoutJson;
        _onStdoutEnded = onStdoutEnded;
        _stdoutPump = Task.Run(PumpStdoutAsync);
        _stderrPump = Task.Run(PumpStderrAsync);
    }

    /// <summary>Writes <paramref name="line"/> and a newline to stdin; concurrent writers take turns.</summary>
    /// <exception cref="InvalidOperationException">stdin is closed.</exception>
    public async Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        await _stdinLock.WaitAsync(cancellationToken);
        try
        {
            await _process.StandardInput.WriteAsync((line + "\n").AsMemory(), cancellationToken);
            await _process.StandardInput.FlushAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"{Description}: could not write to stdin ({ex.Message}). {Describe()}", ex);
        }
        finally
        {
            _stdinLock.Release();
        }
    }

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    /// <exception cref="TimeoutException">Still running after <paramref name="timeout"/>.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Description} did not exit within {timeout}. {Describe()}");
        }

        return _process.ExitCode;
    }

    /// <summary>Adds a diagnostic note (an unreadable stdout line, say) to <see cref="Stderr"/>.</summary>
    public void Note(string text)
    {
        lock (_stderr)
        {
            _stderr.Append(text).Append('\n');
            if (_stderr.Length > MaxStderrChars)
            {
                _stderr.Remove(0, _stderr.Length - MaxStderrChars);
            }
        }
    }

    /// <summary>The command line, the recent stdout lines and the end of stderr, for assertion messages.</summary>
    public string Describe()
    {
        string lines;
        lock (_recentLines)
        {
            lines = string.Join('\n', _recentLines);
        }

        var stderr = Stderr;
        if (stderr.Length > DescribedStderrChars)
        {
            stderr = "…" + stderr[^DescribedStderrChars..];
        }

        return $"[{Description}]\nstdout:\n{lines}\nstderr:\n{stderr}";
    }

    /// <summary>Closes stdin, waits briefly for a clean stop, then kills the process tree and waits for exit.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                await CloseStdinAsync();
                using var graceful = new CancellationTokenSource(GracefulStopTimeout);
                try
                {
                    await _process.WaitForExitAsync(graceful.Token);
                }
                catch (OperationCanceledException)
                {
                    // did not stop by itself in time
                }
            }

            if (!_process.HasExited)
            {
                try
                {
                    _process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // exited between the check and the kill
                }

                using var killed = new CancellationTokenSource(KillTimeout);
                await _process.WaitForExitAsync(killed.Token);
            }

            await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(KillTimeout);
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task CloseStdinAsync()
    {
        // A writer holding the lock finishes its line first; after the grace period stdin closes regardless.
        var locked = await _stdinLock.WaitAsync(GracefulStopTimeout);
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // stdin already gone: the kill that follows still ends the process
        }
        finally
        {
            if (locked)
            {
                _stdinLock.Release();
            }
        }
    }

    private async Task PumpStdoutAsync()
    {
        try
        {
            await BoundedLineReader.ReadLinesAsync(_process.StandardOutput, MaxLineChars, OnStdoutLine, Note);
        }
        catch (IOException ex)
        {
            Note($"[stdout read failed] {ex.Message}");
        }
        finally
        {
            _stdoutEnded = true;
            _onStdoutEnded();
        }
    }

    private void OnStdoutLine(string line)
    {
        lock (_recentLines)
        {
            _recentLines.Enqueue(line.Length > MaxRecentLineChars ? line[..MaxRecentLineChars] + "…" : line);
            while (_recentLines.Count > MaxRecentLines)
            {
                _recentLines.Dequeue();
            }
        }

        JsonElement element;
        try
        {
            using var document = JsonDocument.Parse(line);
            element = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            Note($"[stdout, not JSON] {line}");
            return;
        }

        _onStdoutJson(element);
    }

    private async Task PumpStderrAsync()
    {
        try
        {
            await BoundedLineReader.ReadLinesAsync(_process.StandardError, MaxLineChars, Note, Note);
        }
        catch (IOException ex)
        {
            Note($"[stderr read failed] {ex.Message}");
        }
    }
}
