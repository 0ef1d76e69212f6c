using System.Diagnostics;

namespace Dione.Benchmarks.Ratchet;

/// <summary>Runs an operation in a tight loop on the calling thread for a fixed time, after a short warm-up; reports the mean time per operation.</summary>
internal static class OperationTimer
{
    /// <summary>Mean microseconds per call of <paramref name="operation"/>, measured over about <paramref name="duration"/>.</summary>
    public static double MicrosecondsPerOperation(Action operation, TimeSpan duration, int batch = 16)
    {
        var warmUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
        while (Stopwatch.GetTimestamp() < warmUntil)
        {
            operation();
        }
        long operations = 0;
        var started = Stopwatch.GetTimestamp();
        var until = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long now;
        do
        {
            for (var i = 0; i < batch; i++)
            {
                operation();
            }
            operations += batch;
            now = Stopwatch.GetTimestamp();
        }
        while (now < until);
        return (now - started) * 1e6 / Stopwatch.Frequency / operations;
    }

    /// <summary>
    /// Mean microseconds per item when <paramref name="prepare"/> (untimed) makes a batch and <paramref name="consume"/>
    /// (timed) uses it up, repeated for about <paramref name="duration"/>.
    /// </summary>
    public static double MicrosecondsPerItem<T>(Func<IReadOnlyList<T>> prepare, Action<T> consume, TimeSpan duration)
    {
        var warm = prepare();
        foreach (var item in warm)
        {
            consume(item);
        }
        long items = 0;
        long ticks = 0;
        var limit = (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (ticks < limit)
        {
            var batch = prepare();
            var started = Stopwatch.GetTimestamp();
            foreach (var item in batch)
            {
                consume(item);
            }
            ticks += Stopwatch.GetTimestamp() - started;
            items += batch.Count;
        }
        return ticks * 1e6 / Stopwatch.Frequency / items;
    }
}
