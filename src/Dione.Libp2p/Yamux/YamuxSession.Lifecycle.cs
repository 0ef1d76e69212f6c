using Microsoft.Extensions.Logging;

namespace Dione.Libp2p.Yamux;

public sealed partial class YamuxSession
{
    /// <summary>Ends the session from any thread without blocking: the teardown runs on the thread pool.</summary>
    internal void Abort(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _closeState, 1, 0) != 0)
        {
            return;
        }
        Volatile.Write(ref _closeReason, reason);
        ThreadPool.UnsafeQueueUserWorkItem(static session => session.Teardown(), this, preferLocal: false);
    }

    /// <summary>
    /// Ends the session: optionally queues a GoAway, optionally waits (bounded) for queued frames to be written,
    /// then tears down. Idempotent; returns the session's completion.
    /// </summary>
    private Task CloseAsync(Exception reason, YamuxGoAwayCode? goAway, bool flush, bool resetStreams = false)
    {
        if (Interlocked.CompareExchange(ref _closeState, 1, 0) != 0)
        {
            return _completion.Task;
        }
        Volatile.Write(ref _closeReason, reason);
        return CloseCoreAsync(goAway, flush, resetStreams);
    }

    private async Task CloseCoreAsync(YamuxGoAwayCode? goAway, bool flush, bool resetStreams)
    {
        try
        {
            if (resetStreams)
            {
                // Tell the remote which streams die with the session, even if its transport stays up a while.
                uint[] ids;
                lock (_streamsLock)
                {
                    ids = [.. _streams.Keys];
                }
                foreach (var id in ids)
                {
                    Writer.TryEnqueueControl(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Rst, id, 0));
                }
            }
            if (goAway is { } code)
            {
                SendGoAway(code);
            }
            if (flush && Volatile.Read(ref _started) != 0)
            {
                await Writer.FlushAsync(CancellationToken.None).WaitAsync(Settings.CloseFlushTimeout).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is TimeoutException or YamuxSessionClosedException)
        {
            _logger.LogDebug("Yamux session could not flush its last frames: {Reason}", ex.Message);
        }
        finally
        {
            Teardown();
        }
    }

    private void Teardown()
    {
        var reason = Volatile.Read(ref _closeReason);
        _logger.LogDebug("Yamux session closing: {Reason}", reason?.Message);
        try
        {
            _lifetime.Cancel();
        }
        catch (AggregateException ex)
        {
            _logger.LogDebug(ex, "A yamux cancellation callback failed.");
        }
        Writer.Close();
        try
        {
            _transport.Dispose();
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "Disposing the yamux transport failed.");
        }
        YamuxStream[] streams;
        lock (_streamsLock)
        {
            streams = [.. _streams.Values];
            _streams.Clear();
            _inboundCount = 0;
            _outboundCount = 0;
        }
        foreach (var stream in streams)
        {
            stream.Abort();
        }
        _acceptQueue.Writer.TryComplete();
        FailPendingPing();
        _completion.TrySetResult();
    }
}
