using System.Text.Json;
using System.Threading.Channels;

namespace Dione.TestSupport.Interop;

/// <summary>
/// interop/js peer.mjs or dialer.mjs under node (see <see cref="JsChildProcess"/>). Its stdout JSON lines arrive in
/// order through <see cref="WaitForEventAsync"/> and <see cref="ReadAllResultsAsync"/>; its stderr is kept for
/// diagnostics. Disposing stops it (stdin closed, then killed by PID).
/// </summary>
public sealed class JsPeerProcess : IAsyncDisposable
{
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly List<JsonElement> _received = [];
    private readonly JsChildProcess _child;

    private JsPeerProcess(string script, IEnumerable<string> arguments)
    {
        _child = JsChildProcess.Start(script, arguments);
        _child.ReadOutput(element => _events.Writer.TryWrite(element), () => _events.Writer.TryComplete());
    }

    /// <summary>The command line, for messages.</summary>
    public string Description => _child.Description;

    /// <summary>The node process id.</summary>
    public int ProcessId => _child.ProcessId;

    /// <summary>Everything written to stderr so far (the last 256 KiB).</summary>
    public string Stderr => _child.Stderr;

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
    public static JsPeerProcess Start(string script, IEnumerable<string> arguments) => new(script, arguments);

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
    public Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _child.WaitForExitAsync(timeout, cancellationToken);

    /// <summary>Recent output, for assertion messages.</summary>
    public string Describe()
    {
        string events;
        lock (_received)
        {
            events = string.Join('\n', _received.TakeLast(20).Select(e => e.GetRawText()));
        }

        return $"stdout events consumed:\n{events}\n{_child.Describe()}";
    }

    /// <summary>Stops the process: stdin closed, a short wait, then killed by PID.</summary>
    public ValueTask DisposeAsync() => _child.DisposeAsync();

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
}
