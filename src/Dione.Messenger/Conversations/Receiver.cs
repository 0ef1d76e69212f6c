using System.Threading.Channels;
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
    /// <summary>A doorbell, not a queue: one pending ring stands for any number of changes.</summary>
    private readonly Channel<bool> _maybeChanged = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private long _fetchRounds;

    /// <summary>How many fetches (poll rounds) and waiting fetches (watches) this receiver has sent to the mailbox.</summary>
    public long FetchRounds => Interlocked.Read(ref _fetchRounds);

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
        if (received.Count > 0)
        {
            ExpectedAddressesMayHaveChanged();
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
        Interlocked.Increment(ref _fetchRounds);
        var arrived = await WaitForEnvelopesAsync(watch, wait, cancellationToken).ConfigureAwait(false);
        return await DrainAfterWatchAsync(await ReadAsync(arrived, watch, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Says that the expected addresses may have changed (a send started or moved a session, a poll opened messages).
    /// A <see cref="WatchAsync"/> under way then checks its list and, when it differs, ends its wait and starts again
    /// with the new one: otherwise a reply to the new addresses would wait for the next poll.
    /// </summary>
    public void ExpectedAddressesMayHaveChanged() => _maybeChanged.Writer.TryWrite(true);

    /// <summary>
    /// Watches again and again until cancelled; after a watch that ended early with nothing (holders refusing to
    /// wait) or failed, pauses one poll interval. A watch whose addresses went out of date starts again at once.
    /// </summary>
    public async Task WatchAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = time.GetTimestamp();
            using var outdated = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                var watch = await expected.ListAsync(cancellationToken).ConfigureAwait(false);
                var checking = CancelWhenOutdatedAsync(watch, outdated);
                var arrived = await WaitIgnoringOutdatedAsync(watch, outdated.Token, cancellationToken).ConfigureAwait(false);
                var wasOutdated = outdated.IsCancellationRequested;
                await outdated.CancelAsync().ConfigureAwait(false);
                await checking.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                var received = await DrainAfterWatchAsync(await ReadAsync(arrived, watch, cancellationToken).ConfigureAwait(false), cancellationToken)
                    .ConfigureAwait(false);
                if (received.Count == 0 && !wasOutdated && time.GetElapsedTime(started) < options.WatchWait / 2)
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

    private async Task<IReadOnlyList<byte[]>> WaitIgnoringOutdatedAsync(WatchList watch, CancellationToken outdated, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _fetchRounds);
        try
        {
            return await WaitForEnvelopesAsync(watch, options.WatchWait, outdated).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (outdated.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Nothing is lost: whatever arrived meanwhile stays at its holders, which answer the next watch at once.
            return [];
        }
    }

    /// <summary>
    /// Waits at the holders of every address of <paramref name="watch"/>, each kind of traffic under its own identity
    /// (intro slots apart from sessions), and returns the first answer with envelopes; the other waits are then abandoned.
    /// </summary>
    private async Task<IReadOnlyList<byte[]>> WaitForEnvelopesAsync(WatchList watch, TimeSpan wait, CancellationToken cancellationToken)
    {
        var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = watch.ByTraffic().Select(kind => mailbox.WaitForEnvelopesAsync(kind.Addresses, kind.Traffic, wait, abandon.Token)).ToList();
        try
        {
            return await EnvelopeWaits.FirstWithEnvelopesAsync([.. pending]).ConfigureAwait(false);
        }
        finally
        {
            // The other waits are abandoned, not awaited: unwinding one (its lookups, its streams at the holders) took
            // tens of milliseconds, and the message that came would have waited for it (bench-messaging: +30 ms).
            await abandon.CancelAsync().ConfigureAwait(false);
            _ = Task.WhenAll(pending).ContinueWith(
                done =>
                {
                    _ = done.Exception;
                    abandon.Dispose();
                },
                CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    /// <summary>Cancels <paramref name="outdated"/> as soon as the expected addresses are no longer those of <paramref name="watch"/>.</summary>
    private async Task CancelWhenOutdatedAsync(WatchList watch, CancellationTokenSource outdated)
    {
        var watched = watch.Addresses.Select(Convert.ToHexString).ToHashSet(StringComparer.Ordinal);
        while (await _maybeChanged.Reader.WaitToReadAsync(outdated.Token).ConfigureAwait(false))
        {
            while (_maybeChanged.Reader.TryRead(out _))
            {
            }
            var now = await expected.ListAsync(outdated.Token).ConfigureAwait(false);
            if (!watched.SetEquals(now.Addresses.Select(Convert.ToHexString)))
            {
                await outdated.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
    }

    private async Task<IReadOnlyList<InboxEntry>> PollOnceAsync(CancellationToken cancellationToken)
    {
        var watch = await expected.ListAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _fetchRounds);
        var fetched = (await Task.WhenAll(watch.ByTraffic().Select(kind => mailbox.FetchAsync(kind.Addresses, kind.Traffic, cancellationToken))).ConfigureAwait(false))
            .SelectMany(envelopes => envelopes).ToList();
        await expected.MarkIntroAddressesPolledAsync(watch, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(fetched, watch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// After a watch: a single message needs nothing more (the next watch starts at once, and a holder answers it at
    /// once when more is waiting). Several may be the front of a backlog, and a watch brings only what the first
    /// holder to answer keeps (a share of the addresses): then poll rounds, which ask every holder, drain the rest.
    /// </summary>
    private async Task<IReadOnlyList<InboxEntry>> DrainAfterWatchAsync(IReadOnlyList<InboxEntry> watched, CancellationToken cancellationToken) =>
        watched.Count > 1 ? [.. watched, .. await PollAsync(cancellationToken).ConfigureAwait(false)] : watched;

    /// <summary>
    /// Opens what a fetch or watch of <paramref name="watch"/> brought, and lets the look-ahead follow it. Nothing
    /// fetched changes nothing: a watch cut short because its list went out of date says nothing about a backlog.
    /// </summary>
    private async Task<IReadOnlyList<InboxEntry>> ReadAsync(IReadOnlyList<byte[]> fetched, WatchList watch, CancellationToken cancellationToken)
    {
        if (fetched.Count == 0)
        {
            return [];
        }
        var received = await reader.ReadAsync(fetched, watch, cancellationToken).ConfigureAwait(false);
        expected.Follow(watch, received);
        return received;
    }
}
