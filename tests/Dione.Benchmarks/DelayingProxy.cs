using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Dione.Benchmarks;

/// <summary>
/// A TCP relay on 127.0.0.1 that makes loopback look like a link with a fixed one-way delay <c>d</c>
/// (round trip 2d) in both directions, TCP handshake included.
/// </summary>
/// <remarks>
/// The kernel completes the dialer's connect at once, so the handshake is emulated: over a real link the dialer
/// could send its first byte only after SYN/SYN-ACK (at 2d) and the listener would accept at 3d. So the relay
/// connects upstream at 3d after accepting, and a byte the dialer wrote at time t reaches the listener at
/// max(t + d, 3d); bytes from the listener arrive d after they were written. Chunks keep their order.
/// Each direction buffers at most <see cref="QueuedChunks"/> reads of <see cref="ReadSize"/> bytes.
/// </remarks>
internal sealed class DelayingProxy : IAsyncDisposable
{
    public const int ReadSize = 16 * 1024;
    public const int QueuedChunks = 256;

    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly long _delayTicks;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, bool> _relays = new();
    private readonly ProxyTrace? _trace;
    private Task _acceptLoop = Task.CompletedTask;
    private int _relayed;

    /// <param name="trace">Where to record reads and deliveries, or null.</param>
    public DelayingProxy(IPEndPoint target, TimeSpan oneWayDelay, ProxyTrace? trace = null)
    {
        _trace = trace;
        ArgumentOutOfRangeException.ThrowIfLessThan(oneWayDelay, TimeSpan.Zero);
        _target = target;
        _delayTicks = (long)(oneWayDelay.TotalSeconds * Stopwatch.Frequency);
        OneWayDelay = oneWayDelay;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
    }

    public TimeSpan OneWayDelay { get; }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Connections accepted so far.</summary>
    public int ConnectionsRelayed => Volatile.Read(ref _relayed);

    public void Start() => _acceptLoop = AcceptLoopAsync(_stop.Token);

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var client = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
                var number = Interlocked.Increment(ref _relayed);
                var relay = RelayAsync(client, new RelayTrace(_trace, number, Stopwatch.GetTimestamp()), cancellationToken);
                _relays[relay] = true;
                _ = relay.ContinueWith(t => _relays.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task RelayAsync(Socket client, RelayTrace trace, CancellationToken cancellationToken)
    {
        using var relayStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = relayStop.Token;
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (client)
        {
            client.NoDelay = true;
            var toListener = NewQueue();
            var toDialer = NewQueue();
            var listenerSeesConnectAt = trace.AcceptedAt + 3 * _delayTicks;
            var toListenerPath = trace.For("dialer->listener");
            var toDialerPath = trace.For("listener->dialer");
            var parts = new List<Task> { GuardAsync(PumpInAsync(client, toListener.Writer, _delayTicks, listenerSeesConnectAt, toListenerPath, token), relayStop) };
            try
            {
                await WaitUntilAsync(listenerSeesConnectAt, token).ConfigureAwait(false);
                await upstream.ConnectAsync(_target, token).ConfigureAwait(false);
                trace.Record("connected upstream");
                parts.Add(GuardAsync(PumpInAsync(upstream, toDialer.Writer, _delayTicks, 0, toDialerPath, token), relayStop));
                parts.Add(GuardAsync(PumpOutAsync(toListener.Reader, upstream, toListenerPath, token), relayStop));
                parts.Add(GuardAsync(PumpOutAsync(toDialer.Reader, client, toDialerPath, token), relayStop));
            }
            catch (Exception)
            {
                await relayStop.CancelAsync().ConfigureAwait(false);
            }
            await Task.WhenAll(parts).ConfigureAwait(false);
        }
    }

    private static Channel<DelayedChunk> NewQueue() =>
        Channel.CreateBounded<DelayedChunk>(new BoundedChannelOptions(QueuedChunks)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

    /// <summary>Runs one part of a relay; when it fails (reset, cancellation) the whole relay stops.</summary>
    private static async Task GuardAsync(Task part, CancellationTokenSource relayStop)
    {
        try
        {
            await part.ConfigureAwait(false);
        }
        catch (Exception)
        {
            await relayStop.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Reads <paramref name="source"/> until its end, stamping each chunk with the time to deliver it.</summary>
    private static async Task PumpInAsync(
        Socket source, ChannelWriter<DelayedChunk> sink, long delayTicks, long notBefore, RelayPathTrace trace, CancellationToken cancellationToken)
    {
        try
        {
            int read;
            do
            {
                var buffer = new byte[ReadSize];
                read = await source.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                var due = Math.Max(Stopwatch.GetTimestamp() + delayTicks, notBefore);
                trace.Record("read", read);
                await sink.WriteAsync(new DelayedChunk(buffer, read, due), cancellationToken).ConfigureAwait(false);
            }
            while (read > 0);
            sink.Complete();
        }
        catch (Exception e)
        {
            sink.TryComplete(e);
            throw;
        }
    }

    /// <summary>Writes each chunk to <paramref name="destination"/> when it is due; end of stream becomes a half-close.</summary>
    private static async Task PumpOutAsync(ChannelReader<DelayedChunk> source, Socket destination, RelayPathTrace trace, CancellationToken cancellationToken)
    {
        await foreach (var chunk in source.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await WaitUntilAsync(chunk.DueTimestamp, cancellationToken).ConfigureAwait(false);
            trace.Record("delivered", chunk.Count);
            if (chunk.Count == 0)
            {
                destination.Shutdown(SocketShutdown.Send);
                return;
            }
            for (var sent = 0; sent < chunk.Count;)
            {
                sent += await destination.SendAsync(chunk.Buffer.AsMemory(sent, chunk.Count - sent), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits until the <see cref="Stopwatch"/> time <paramref name="timestamp"/> (timer resolution: about 1 ms late).</summary>
    private static async Task WaitUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        long remaining;
        while ((remaining = timestamp - Stopwatch.GetTimestamp()) > 0)
        {
            var milliseconds = Math.Max(1, (int)Math.Ceiling(remaining * 1000.0 / Stopwatch.Frequency));
            await Task.Delay(milliseconds, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_relays.Keys).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Diagnostics.Log("proxy: relays did not stop within 5 s");
        }
        _stop.Dispose();
    }
}
