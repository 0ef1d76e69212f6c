using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Dione.Tests.Shared;

namespace Dione.Tests.Shared.Interop;

/// <summary>
/// interop/js/dht-peer.mjs, a js-libp2p kad-dht node, running under node as a child process.
/// Commands go to its stdin as JSON lines and each is answered by the "result" line carrying the same id
/// (<see cref="CommandAsync"/>); its other stdout events arrive in order through <see cref="WaitForEventAsync"/>.
/// Disposing closes stdin (the script's signal to stop), waits briefly, then kills what is left.
/// </summary>
internal sealed class JsDhtPeer : IAsyncDisposable
{
    /// <summary>The script, in interop/js.</summary>
    public const string Script = "dht-peer.mjs";

    /// <summary>Longest stdout line accepted; longer lines are dropped and noted in the diagnostics.</summary>
    public const int MaxLineChars = 1024 * 1024;

    /// <summary>How long a command may run when the caller does not say.</summary>
    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromSeconds(30);

    private const int MaxStderrChars = 256 * 1024;
    private const int MaxRecentLines = 40;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AnswerGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan GracefulStopTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly Queue<string> _recentLines = new();
    private readonly StringBuilder _stderr = new();
    private readonly SemaphoreSlim _stdinLock = new(1, 1);
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private long _lastId;
    private volatile bool _stdoutEnded;
    private int _disposed;

    private JsDhtPeer(Process process, string description)
    {
        _process = process;
        Description = description;
        _stdoutPump = Task.Run(PumpStdoutAsync);
        _stderrPump = Task.Run(PumpStderrAsync);
    }

    /// <summary>The command line, for messages.</summary>
    public string Description { get; }

    /// <summary>The "ready" event: peerId, addrs, protocols, dhtProtocol, dhtMode.</summary>
    public JsonElement Ready { get; private set; }

    /// <summary>The js node's peer id.</summary>
    public string PeerId { get; private set; } = "";

    /// <summary>Its first listen address, ending in /p2p/ and its peer id.</summary>
    public string Address { get; private set; } = "";

    /// <summary>
    /// Starts <c>node dht-peer.mjs</c> with <c>--inbound-threshold 1000</c> and the given options,
    /// and waits for its "ready" line.
    /// </summary>
    public static async Task<JsDhtPeer> StartAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        var directory = JsInteropDirectory.Find();
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
        startInfo.ArgumentList.Add(Path.Combine(directory, Script));
        startInfo.ArgumentList.Add("--inbound-threshold");
        startInfo.ArgumentList.Add("1000");
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var description = $"{node} {string.Join(' ', startInfo.ArgumentList)}";
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {description}.");
        var peer = new JsDhtPeer(process, description);
        try
        {
            var ready = await peer.WaitForEventAsync("ready", null, StartTimeout, cancellationToken);
            peer.Ready = ready;
            peer.PeerId = ready.GetProperty("peerId").GetString() ?? "";
            peer.Address = ready.GetProperty("addrs")[0].GetString() ?? "";
            return peer;
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a dht-peer with the given options; see <see cref="StartAsync(IEnumerable{string}, CancellationToken)"/>.</summary>
    public static Task<JsDhtPeer> StartAsync(params string[] arguments) => StartAsync(arguments, CancellationToken.None);

    /// <summary>
    /// Sends <paramref name="cmd"/> with <paramref name="arguments"/> and returns its result line.
    /// </summary>
    /// <exception cref="InvalidOperationException">The command failed (ok false), or the process ended first.</exception>
    /// <exception cref="TimeoutException">No answer within the timeout.</exception>
    public async Task<JsonElement> CommandAsync(
        string cmd, JsonObject? arguments = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var result = await TryCommandAsync(cmd, arguments, timeout, cancellationToken);
        if (!result.GetProperty("ok").GetBoolean())
        {
            throw new InvalidOperationException($"js {cmd} failed: {result.GetRawText()}\n{Describe()}");
        }

        return result;
    }

    /// <summary>
    /// Sends <paramref name="cmd"/> and returns its result line whether ok is true or false.
    /// The js side gives up on the command after <paramref name="timeout"/> (default 30 s) and answers
    /// with an error; this side waits a few seconds longer for that answer.
    /// </summary>
    /// <exception cref="InvalidOperationException">The process ended before answering.</exception>
    /// <exception cref="TimeoutException">No answer at all.</exception>
    public async Task<JsonElement> TryCommandAsync(
        string cmd, JsonObject? arguments = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cmd);
        var limit = timeout ?? DefaultCommandTimeout;
        var id = Interlocked.Increment(ref _lastId);
        var command = new JsonObject { ["id"] = id, ["cmd"] = cmd, ["timeoutMs"] = (long)limit.TotalMilliseconds };
        foreach (var (name, value) in arguments ?? [])
        {
            command[name] = value?.DeepClone();
        }

        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            if (_stdoutEnded)
            {
                throw new InvalidOperationException($"{Description} has exited. {Describe()}");
            }

            await WriteLineAsync(command.ToJsonString(), cancellationToken);
            return await answer.Task.WaitAsync(limit + AnswerGrace, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No answer to js {cmd} within {limit + AnswerGrace}. {Describe()}");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// Waits for the next stdout event named <paramref name="eventName"/> that <paramref name="match"/> accepts
    /// (any, when null), skipping others.
    /// </summary>
    /// <exception cref="TimeoutException">No such event within <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidOperationException">The process closed stdout first.</exception>
    public async Task<JsonElement> WaitForEventAsync(
        string eventName, Func<JsonElement, bool>? match, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (await _events.Reader.WaitToReadAsync(deadline.Token))
            {
                while (_events.Reader.TryRead(out var element))
                {
                    if (element.TryGetProperty("event", out var name)
                        && name.ValueKind == JsonValueKind.String
                        && name.GetString() == eventName
                        && (match?.Invoke(element) ?? true))
                    {
                        return element;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No \"{eventName}\" event within {timeout}. {Describe()}");
        }

        throw new InvalidOperationException($"{Description} closed stdout before a \"{eventName}\" event. {Describe()}");
    }

    /// <summary>Recent stdout lines and stderr, for assertion messages.</summary>
    public string Describe()
    {
        string lines;
        lock (_recentLines)
        {
            lines = string.Join('\n', _recentLines);
        }

        string stderr;
        lock (_stderr)
        {
            stderr = _stderr.Length > 8192 ? "…" + _stderr.ToString(_stderr.Length - 8192, 8192) : _stderr.ToString();
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
                try
                {
                    await _stdinLock.WaitAsync(GracefulStopTimeout);
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

    private async Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        await _stdinLock.WaitAsync(cancellationToken);
        try
        {
            await _process.StandardInput.WriteAsync((line + "\n").AsMemory(), cancellationToken);
            await _process.StandardInput.FlushAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"{Description}: could not write a command ({ex.Message}). {Describe()}", ex);
        }
        finally
        {
            _stdinLock.Release();
        }
    }

    private void OnStdoutLine(string line)
    {
        lock (_recentLines)
        {
            _recentLines.Enqueue(line.Length > 2000 ? line[..2000] + "…" : line);
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
            AppendStderr($"[stdout, not JSON] {line}");
            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (element.TryGetProperty("event", out var name) && name.ValueKind == JsonValueKind.String && name.GetString() == "result"
            && element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var number))
        {
            if (_pending.TryRemove(number, out var answer))
            {
                answer.TrySetResult(element);
            }

            return;
        }

        _events.Writer.TryWrite(element);
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
            await PumpLinesAsync(_process.StandardOutput, OnStdoutLine);
        }
        catch (IOException ex)
        {
            AppendStderr($"[stdout read failed] {ex.Message}");
        }
        finally
        {
            _stdoutEnded = true;
            _events.Writer.TryComplete();
            foreach (var id in _pending.Keys)
            {
                if (_pending.TryRemove(id, out var answer))
                {
                    answer.TrySetException(new InvalidOperationException($"{Description} exited before answering. {Describe()}"));
                }
            }
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
