using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Dione.Tests.Shared;

namespace Dione.Tests.Shared.Interop;

/// <summary>
/// One interop/js script (peer.mjs or dialer.mjs) running under node as a child process.
/// Its stdout JSON lines arrive in order through <see cref="WaitForEventAsync"/> and
/// <see cref="ReadAllResultsAsync"/>; its stderr is kept for diagnostics.
/// Disposing closes its stdin (the scripts' signal to stop), then kills the whole process tree.
/// </summary>
public sealed class JsPeerProcess : IAsyncDisposable
{
    /// <summary>Longest stdout line accepted; longer lines are dropped and noted in <see cref="Stderr"/>.</summary>
    public const int MaxLineChars = 1024 * 1024;

    private const int MaxStderrChars = 256 * 1024;
    private static readonly TimeSpan GracefulStopTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly List<JsonElement> _received = [];
    private readonly StringBuilder _stderr = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private int _disposed;

    private JsPeerProcess(Process process, string description)
    {
        _process = process;
        Description = description;
        _stdoutPump = Task.Run(PumpStdoutAsync);
        _stderrPump = Task.Run(PumpStderrAsync);
    }

    /// <summary>The command line, for messages.</summary>
    public string Description { get; }

    /// <summary>The node process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Everything written to stderr so far (the last 256 KiB).</summary>
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

    /// <summary>Every stdout event consumed so far by the wait methods, in arrival order.</summary>
    public IReadOnlyList<JsonElement> ReceivedEvents
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Starts <c>node peer.mjs</c> with the given options (defaults: listen on 127.0.0.1, port 0).</summary>
    public static JsPeerProcess StartPeer(params string[] arguments) => Start("peer.mjs", arguments);

    /// <summary>Starts <c>node dialer.mjs &lt;target&gt; &lt;checks&gt;</c> with extra options.</summary>
    public static JsPeerProcess StartDialer(string targetMultiaddr, IEnumerable<string> checks, params string[] arguments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetMultiaddr);
        return Start("dialer.mjs", [targetMultiaddr, string.Join(',', checks), .. arguments]);
    }

    /// <summary>Starts <c>node &lt;script&gt; &lt;arguments&gt;</c> in interop/js, without a shell.</summary>
    public static JsPeerProcess Start(string script, IEnumerable<string> arguments)
    {
        var directory = InteropDirectory.FindJsDirectory();
        var node = Environment.GetEnvironmentVariable("DIONE_NODE") is { Length: > 0 } custom ? custom : "node";
        var startInfo = new ProcessStartInfo(node)
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
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
        var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {description}.");
        return new JsPeerProcess(process, description);
    }

    /// <summary>
    /// Waits for the next stdout event named <paramref name="eventName"/> (its "event" property),
    /// skipping others (they stay in <see cref="ReceivedEvents"/>).
    /// </summary>
    /// <exception cref="TimeoutException">No such event within <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidOperationException">The process closed stdout first.</exception>
    public async Task<JsonElement> WaitForEventAsync(string eventName, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (await _events.Reader.WaitToReadAsync(deadline.Token))
            {
                while (_events.Reader.TryRead(out var element))
                {
                    Record(element);
                    if (EventName(element) == eventName)
                    {
                        return element;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No \"{eventName}\" event within {timeout} from {Describe()}");
        }

        throw new InvalidOperationException($"{Description} closed stdout before a \"{eventName}\" event. {Describe()}");
    }

    /// <summary>
    /// Reads stdout to its end and returns the dialer's "result" events in order
    /// (the closing "done" event is in <see cref="ReceivedEvents"/>).
    /// </summary>
    /// <exception cref="TimeoutException">stdout did not end within <paramref name="timeout"/>.</exception>
    public async Task<IReadOnlyList<JsonElement>> ReadAllResultsAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var results = new List<JsonElement>();
        try
        {
            await foreach (var element in _events.Reader.ReadAllAsync(deadline.Token))
            {
                Record(element);
                if (EventName(element) == "result")
                {
                    results.Add(element);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Description} still running after {timeout}. {Describe()}");
        }

        return results;
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

    /// <summary>Recent output, for assertion messages.</summary>
    public string Describe()
    {
        string events;
        lock (_received)
        {
            events = string.Join('\n', _received.TakeLast(20).Select(e => e.GetRawText()));
        }

        var stderr = Stderr;
        if (stderr.Length > 8192)
        {
            stderr = "…" + stderr[^8192..];
        }

        return $"[{Description}]\nstdout events:\n{events}\nstderr:\n{stderr}";
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
                try
                {
                    _process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // stdin already gone: the kill below still ends the process
                }

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

    private static string? EventName(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty("event", out var name)
        && name.ValueKind == JsonValueKind.String
            ? name.GetString()
            : null;

    private void Record(JsonElement element)
    {
        lock (_received)
        {
            _received.Add(element);
        }
    }

    private void AppendStderr(string text)
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

    private async Task PumpStdoutAsync()
    {
        try
        {
            await PumpLinesAsync(_process.StandardOutput, line =>
            {
                try
                {
                    using var document = JsonDocument.Parse(line);
                    _events.Writer.TryWrite(document.RootElement.Clone());
                }
                catch (JsonException)
                {
                    AppendStderr($"[stdout, not JSON] {line}");
                }
            });
        }
        catch (IOException ex)
        {
            AppendStderr($"[stdout read failed] {ex.Message}");
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    private async Task PumpStderrAsync()
    {
        try
        {
            await PumpLinesAsync(_process.StandardError, AppendStderr);
        }
        catch (IOException ex)
        {
            AppendStderr($"[stderr read failed] {ex.Message}");
        }
    }

    private Task PumpLinesAsync(StreamReader reader, Action<string> onLine) =>
        BoundedLineReader.ReadLinesAsync(reader, MaxLineChars, onLine, AppendStderr);
}
