using Dione.Messaging.Identity;
using Dione.Messaging.Intro;
using Dione.Messaging.Sessions;
using Dione.Messenger.Persistence;

namespace Dione.Messenger.Conversations;

/// <summary>
/// Where this person expects envelopes: the intro addresses of every period since the last poll (so a carrier stored
/// while the node was down is still found), and for each session its pending window plus the look-ahead beyond it.
/// </summary>
internal sealed class ExpectedAddresses(MessengerDatabase database, IdentityKey self, IntroAddresses intro, MessengerOptions options, TimeProvider time)
{
    private const string LastIntroPollKey = "intro.last_poll";

    public async Task<WatchList> ListAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lastPoll = await database.GetMetaAsync(LastIntroPollKey, cancellationToken).ConfigureAwait(false) is { Length: 8 } stamp
            ? DateTimeOffset.FromUnixTimeSeconds(BitConverter.ToInt64(stamp))
            : now;
        var introAddresses = intro.PollAddressesSince(self, lastPoll, now).Select(a => Convert.ToHexString(a.Address)).ToHashSet();
        var owners = new Dictionary<string, string>();
        foreach (var (contact, state) in await database.SessionsAsync(cancellationToken).ConfigureAwait(false))
        {
            var session = DioneSession.Restore(state);
            foreach (var pending in session.PendingAddresses.Concat(session.RecoveryAddresses(options.LookAhead)))
            {
                owners[Convert.ToHexString(pending)] = contact;
            }
        }
        var addresses = introAddresses.Concat(owners.Keys).Distinct().Select(Convert.FromHexString).ToList();
        return new WatchList(now, introAddresses, owners, addresses);
    }

    /// <summary>Remembers that the intro addresses of <paramref name="watch"/> were fetched (a full poll, not a watch).</summary>
    public Task MarkIntroAddressesPolledAsync(WatchList watch, CancellationToken cancellationToken) =>
        database.SetMetaAsync(LastIntroPollKey, BitConverter.GetBytes(watch.Now.ToUnixTimeSeconds()), cancellationToken);
}
