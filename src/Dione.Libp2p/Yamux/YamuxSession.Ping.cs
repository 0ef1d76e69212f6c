using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Dione.Libp2p.Yamux;

public sealed partial class YamuxSession
{
    private readonly Lock _pingLock = new();
    private YamuxPendingPing? _activePing;
    private uint _nextPingId;
    private long _roundTripTicks;

    /// <summary>Smoothed round-trip time in <see cref="Stopwatch"/> ticks; 0 until the first pong.</summary>
    internal long RoundTripTimestampTicks => Interlocked.Read(ref _roundTripTicks);

    /// <summary>
    /// Sends a ping and returns the round-trip time. Concurrent callers share one outstanding ping.
    /// Also refreshes the RTT estimate that drives receive-window auto-tuning.
    /// </summary>
    /// <exception cref="TimeoutException">No answer within <see cref="YamuxSettings.PingTimeout"/>.</exception>
    /// <exception cref="YamuxSessionClosedException">The session has ended.</exception>
    public async Task<TimeSpan> PingAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposeRequested) != 0, this);
        if (IsClosed)
        {
            throw CreateClosedException();
        }
        YamuxPendingPing ping;
        var send = false;
        lock (_pingLock)
        {
            if (_activePing is null)
            {
                _activePing = new YamuxPendingPing(_nextPingId++);
                send = true;
            }
            ping = _activePing;
        }
        if (send && !TryEnqueueControl(new YamuxHeader(YamuxFrameType.Ping, YamuxFlags.Syn, 0, ping.Id)))
        {
            ClearActivePing(ping);
            ping.Fail(CreateClosedException());
        }
        try
        {
            return await ping.Result.WaitAsync(Settings.PingTimeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            ClearActivePing(ping);
            throw new TimeoutException($"The yamux ping was not answered within {Settings.PingTimeout}.");
        }
    }

    private void OnPong(uint id)
    {
        YamuxPendingPing? ping;
        lock (_pingLock)
        {
            ping = _activePing;
            if (ping is null || ping.Id != id)
            {
                return;
            }
            _activePing = null;
        }
        var elapsed = Stopwatch.GetTimestamp() - ping.StartTimestamp;
        var previous = Interlocked.Read(ref _roundTripTicks);
        Interlocked.Exchange(ref _roundTripTicks, previous == 0 ? elapsed : (previous + elapsed) / 2);
        ping.Complete(Stopwatch.GetElapsedTime(ping.StartTimestamp));
    }

    private void ClearActivePing(YamuxPendingPing ping)
    {
        lock (_pingLock)
        {
            if (ReferenceEquals(_activePing, ping))
            {
                _activePing = null;
            }
        }
    }

    private void FailPendingPing()
    {
        YamuxPendingPing? ping;
        lock (_pingLock)
        {
            ping = _activePing;
            _activePing = null;
        }
        ping?.Fail(CreateClosedException());
    }

    // The first ping measures the RTT; with keep-alive on, one ping per interval follows, and an unanswered one ends the session.
    private async Task PingLoopAsync(CancellationToken token)
    {
        var keepAlive = Settings.KeepAliveInterval;
        try
        {
            if (!await PingOnceAsync(fatal: keepAlive is not null, token).ConfigureAwait(false) || keepAlive is null)
            {
                return;
            }
            using var timer = new PeriodicTimer(keepAlive.Value);
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                if (!await PingOnceAsync(fatal: true, token).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Session closing.
        }
    }

    private async Task<bool> PingOnceAsync(bool fatal, CancellationToken token)
    {
        try
        {
            await PingAsync(token).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException ex)
        {
            if (fatal)
            {
                _logger.LogDebug("Yamux keep-alive ping timed out; closing the session.");
                Abort(new YamuxSessionClosedException("The yamux keep-alive ping was not answered in time.", ex));
            }
            return false;
        }
        catch (Exception ex) when (ex is YamuxSessionClosedException or ObjectDisposedException)
        {
            return false;
        }
    }
}
