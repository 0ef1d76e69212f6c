using Microsoft.Extensions.Logging;

namespace Dione.Messenger.Conversations;

/// <summary>
/// The messenger's background work until cancelled: publishes prekeys at once and every
/// <see cref="MessengerOptions.PrekeyRepublishInterval"/>, retries the outbox and polls every
/// <see cref="MessengerOptions.PollInterval"/>, and meanwhile watches so a message is opened as soon as it is stored.
/// </summary>
internal sealed class MessengerLoop(PrekeyPublisher prekeys, OutboxRetrier outbox, Receiver receiver, MessengerOptions options, TimeProvider time, ILogger logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var watching = receiver.WatchAsync(cancellationToken);
        var nextPublish = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(options.PollInterval, time);
        try
        {
            do
            {
                try
                {
                    if (time.GetUtcNow() >= nextPublish)
                    {
                        await prekeys.PublishAsync(cancellationToken).ConfigureAwait(false);
                        nextPublish = time.GetUtcNow() + options.PrekeyRepublishInterval;
                    }
                    await outbox.DeliverPendingAsync(cancellationToken).ConfigureAwait(false);
                    await receiver.PollAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (TransientFailure.Is(e))
                {
                    MessengerLog.LoopFailed(logger, e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        await watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
