using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Dione.TestSupport.Interop;

/// <summary>
/// interop/js/dht-peer.mjs, a js-libp2p kad-dht node, running under node as a child process (<see cref="JsChildProcess"/>).
/// Commands go to its stdin as JSON lines and each is answered by the "result" line carrying the same id
/// (<see cref="CommandAsync"/>); its other stdout events arrive in order through <see cref="WaitForEventAsync"/>.
/// Disposing closes stdin (the script's signal to stop), waits briefly, then kills what is left by PID.
/// </summary>
public sealed class JsDhtPeer : IAsyncDisposable
{
    /// <summary>The script, in interop/js.</summary>
    public const string Script = "dht-peer.mjs";

    /// <summary>How long a command may run when the caller does not say.</summary>
    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AnswerGrace = TimeSpan.FromSeconds(5);

    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly JsChildProcess _child;
    private long _lastId;

    private JsDhtPeer(IEnumerable<string> arguments)
    {
        _child = JsChildProcess.Start(Script, arguments);
        _child.ReadOutput(OnStdoutJson, OnStdoutEnded);
    }

    /// <summary>The command line, for messages.</summary>
    public string Description => _child.Description;

    /// <summary>
    /// Options that put off js's first self-query for an hour. Left at js's one second, it may run after the test has
    /// connected the node and add whoever its peers name, so a test that asserts who knows whom passes these.
    /// </summary>
    public static readonly string[] NoEarlySelfQuery = ["--first-self-query", "3600000"];

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
        var peer = new JsDhtPeer(["--inbound-threshold", "1000", .. arguments]);
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
            if (_child.StdoutEnded)
            {
                throw new InvalidOperationException($"{Description} has exited. {Describe()}");
            }

            await _child.WriteLineAsync(command.ToJsonString(), cancellationToken);
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
    public string Describe() => _child.Describe();

    /// <summary>Stops the process: stdin closed, a short wait, then killed by PID.</summary>
    public ValueTask DisposeAsync() => _child.DisposeAsync();

    private void OnStdoutJson(JsonElement element)
    {
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

    private void OnStdoutEnded()
    {
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
