using Dione.Messenger.Mailbox;
using Dione.Messenger.Persistence;
using Microsoft.Extensions.Logging;

namespace Dione.Messenger.Conversations;

/// <summary>
/// Brings in what waits at this person's <see cref="ExpectedAddresses"/>, two ways: a poll fetches now (and again
/// while windows move), a watch keeps waiting FETCH requests open at the holders so a message is opened as soon as
/// it is stored. Both hand what came to the <see cref="EnvelopeReader"/>.
/// </summary>
internal sealed class Receiver(
    IMailbox mailbox, ExpectedAddresses expected, EnvelopeReader reader, OwnKeys keys, PrekeyPublisher prekeys, MessengerOptions options, TimeProvider time,
    ILogger logger)
{
    /// <summary>
    /// Polls until a round brings nothing new (at most <see cref="MessengerOptions.MaxPollRounds"/>), then republishes
    /// the prekeys when an accepted intro used up a one-time prekey. Returns the new messages.
    /// </summary>
    public async Task<IReadOnlyList<InboxEntry>> PollAsync(CancellationToken cancellationToken)
    {
        var received = new List<InboxEntry>();
        for (var round = 0; round < options.MaxPollRounds; round++)
        {
            var fresh = await PollOnceAsync(cancellationToken).ConfigureAwait(false);
            if (fresh.Count == 0)
            {
                break;
            }
            received.AddRange(fresh);
        }
        if (keys.PrekeysChanged)
        {
            await prekeys.PublishAsync(cancellationToken).ConfigureAwait(false);
        }
        return received;
    }

    /// <summary>Waits up to <paramref name="wait"/> for envelopes at any expected address and opens what arrives.</summary>
    public async Task<IReadOnlyList<InboxEntry>> WatchOnceAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var watch = await expected.ListAsync(cancellationToken).ConfigureAwait(false);
        var arrived = await mailbox.WaitForEnvelopesAsync(watch.Addresses, wait, cancellationToken).ConfigureAwait(false);
        if (arrived.Count == 0)
        {
            return [];
        }
        // No poll afterwards: the next watch starts at once, and a holder answers it at once when more is waiting.
        return await reader.ReadAsync(arrived, watch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Watches again and again until cancelled; after a watch that ended early with nothing (holders refusing to
    /// wait) or failed, pauses one poll interval.
    /// </summary>
    public async Task WatchAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = time.GetTimestamp();
            try
            {
                var received = await WatchOnceAsync(options.WatchWait, cancellationToken).ConfigureAwait(false);
                if (received.Count == 0 && time.GetElapsedTime(started) < options.WatchWait / 2)
                {
                    await Task.Delay(options.PollInterval, time, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (TransientFailure.Is(e))
            {
                MessengerLog.LoopFailed(logger, e.Message);
                await Task.Delay(options.PollInterval, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<IReadOnlyList<InboxEntry>> PollOnceAsync(CancellationToken cancellationToken)
    {
        var watch = await expected.ListAsync(cancellationToken).ConfigureAwait(false);
        var fetched = await mailbox.FetchAsync(watch.Addresses, cancellationToken).ConfigureAwait(false);
        await expected.MarkIntroAddressesPolledAsync(watch, cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(fetched, watch, cancellationToken).ConfigureAwait(false);
    }
}
