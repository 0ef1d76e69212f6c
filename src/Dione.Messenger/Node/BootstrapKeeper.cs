using Microsoft.Extensions.Logging;

namespace Dione.Messenger.Node;

/// <summary>
/// Joins again through the bootstrap peers whenever the node finds itself alone, as kubo's periodic bootstrap does.
/// A daemon whose bootstrap peer was not up yet when it started (two daemons started together), or that lost every
/// peer since, would otherwise stay alone for good and never receive. It looks every <see cref="CheckInterval"/>;
/// while alone it joins after <see cref="FirstRetry"/>, then waits twice as long after each join that left it alone,
/// up to <see cref="MaxRetry"/>, so an unreachable bootstrap list costs little.
/// </summary>
internal sealed partial class BootstrapKeeper(Func<bool> isAlone, Func<CancellationToken, Task> joinAsync, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(5);

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled; never throws for a failed join.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var retry = FirstRetry;
        try
        {
            while (true)
            {
                if (!isAlone())
                {
                    retry = FirstRetry;
                    await Task.Delay(CheckInterval, time, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                await Task.Delay(retry, time, cancellationToken).ConfigureAwait(false);
                if (!isAlone())
                {
                    continue;
                }
                Rejoining(logger, retry.TotalSeconds);
                try
                {
                    await joinAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException)
                {
                    RejoinFailed(logger, e.Message);
                }
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, MaxRetry.Ticks));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "no peers: joining again through the bootstrap peers (waited {Seconds} s)")]
    private static partial void Rejoining(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "joining again failed: {Reason}")]
    private static partial void RejoinFailed(ILogger logger, string reason);
}
