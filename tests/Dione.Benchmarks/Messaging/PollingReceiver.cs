using System.Diagnostics;
using System.Text;
using Dione.Messenger.Conversations;

namespace Dione.Benchmarks.Messaging;

/// <summary>
/// Receives for a messenger until disposed, either by polling in a loop (a short pause between polls) or by watching
/// (<see cref="DioneMessenger.WatchAsync"/>: waiting FETCH requests that holders answer as soon as an envelope is
/// stored), and notes when each message body first arrived and how many times.
/// </summary>
internal sealed class PollingReceiver : IAsyncDisposable
{
    private readonly DioneMessenger _messenger;
    private readonly Stopwatch _clock;
    private readonly TimeSpan _pause;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, TaskCompletionSource<MessageArrival>> _arrivals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _copies = new(StringComparer.Ordinal);
    private readonly List<double> _emptyPollMs = [];
    private readonly Task _loop;

    public PollingReceiver(DioneMessenger messenger, Stopwatch clock, TimeSpan pause, bool watch = false)
    {
        _messenger = messenger;
        _clock = clock;
        _pause = pause;
        if (watch)
        {
            _messenger.MessageReceived += OnReceived;
            _loop = Task.Run(() => _messenger.WatchAsync(_stop.Token));
        }
        else
        {
            _loop = Task.Run(() => LoopAsync(_stop.Token));
        }
    }

    private void OnReceived(object? sender, Dione.Messenger.Persistence.InboxEntry entry)
    {
        var now = _clock.Elapsed.TotalSeconds;
        var body = Encoding.UTF8.GetString(entry.Body);
        lock (_arrivals)
        {
            _copies[body] = _copies.GetValueOrDefault(body) + 1;
        }
        Arrival(body).TrySetResult(new MessageArrival(now));
    }

    /// <summary>How long polls that found nothing took, in milliseconds.</summary>
    public IReadOnlyList<double> EmptyPollMs
    {
        get
        {
            lock (_arrivals)
            {
                return [.. _emptyPollMs];
            }
        }
    }

    /// <summary>When <paramref name="body"/> first arrived.</summary>
    public Task<MessageArrival> ArrivalAsync(string body, TimeSpan timeout) => Arrival(body).Task.WaitAsync(timeout);

    /// <summary>How many times each body arrived.</summary>
    public IReadOnlyDictionary<string, int> Copies
    {
        get
        {
            lock (_arrivals)
            {
                return new Dictionary<string, int>(_copies, StringComparer.Ordinal);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _messenger.MessageReceived -= OnReceived;
        _stop.Dispose();
    }

    private TaskCompletionSource<MessageArrival> Arrival(string body)
    {
        lock (_arrivals)
        {
            if (!_arrivals.TryGetValue(body, out var arrival))
            {
                _arrivals[body] = arrival = new TaskCompletionSource<MessageArrival>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            return arrival;
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = _clock.Elapsed.TotalMilliseconds;
            IReadOnlyList<Dione.Messenger.Persistence.InboxEntry> received;
            try
            {
                received = await _messenger.PollAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException)
            {
                Diagnostics.Log($"poll failed: {e.Message}");
                received = [];
            }
            var now = _clock.Elapsed.TotalSeconds;
            foreach (var entry in received)
            {
                var body = Encoding.UTF8.GetString(entry.Body);
                lock (_arrivals)
                {
                    _copies[body] = _copies.GetValueOrDefault(body) + 1;
                }
                Arrival(body).TrySetResult(new MessageArrival(now));
            }
            if (received.Count == 0)
            {
                lock (_arrivals)
                {
                    _emptyPollMs.Add(now * 1000 - started);
                }
            }
            await Task.Delay(_pause, cancellationToken).ConfigureAwait(false);
        }
    }
}
