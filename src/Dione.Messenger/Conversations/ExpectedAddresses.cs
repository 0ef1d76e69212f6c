using Dione.Messaging.Identity;
using Dione.Messaging.Intro;
using Dione.Messaging.Sessions;
using Dione.Messenger.Persistence;

namespace Dione.Messenger.Conversations;

/// <summary>
/// Where this person expects envelopes: the intro addresses of every period since the last poll (so a carrier stored
/// while the node was down is still found), and for each session its pending window plus the look-ahead beyond it,
/// which grows while a backlog keeps filling it (<see cref="LookAheads"/>).
/// </summary>
internal sealed class ExpectedAddresses(MessengerDatabase database, IdentityKey self, IntroAddresses intro, MessengerOptions options, TimeProvider time)
{
    private readonly LookAheads _lookAheads = new(options);

    private const string LastIntroPollKey = "intro.last_poll";

    public async Task<WatchList> ListAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lastPoll = await database.GetMetaAsync(LastIntroPollKey, cancellationToken).ConfigureAwait(false) is { Length: 8 } stamp
            ? DateTimeOffset.FromUnixTimeSeconds(BitConverter.ToInt64(stamp))
            : now;
        var introAddresses = intro.PollAddressesSince(self, lastPoll, now).Select(a => Convert.ToHexString(a.Address)).ToHashSet();
        var owners = new Dictionary<string, string>();
        var edges = new Dictionary<string, string>();
        foreach (var (contact, state) in await database.SessionsAsync(cancellationToken).ConfigureAwait(false))
        {
            var session = DioneSession.Restore(state);
            var wanted = new[] { _lookAheads.For(contact, 0), _lookAheads.For(contact, 1) };
            var lookAhead = session.RecoveryAddressesPerChain(wanted.Max()).Select((chain, i) => chain.Take(wanted[i]).ToList()).ToList();
            foreach (var pending in session.PendingAddresses.Concat(lookAhead.SelectMany(chain => chain)))
            {
                owners[Convert.ToHexString(pending)] = contact;
            }
            foreach (var (chain, i) in lookAhead.Select((chain, i) => (chain, i)).Where(c => c.chain.Count > 0))
            {
                edges[Convert.ToHexString(chain[^1])] = LookAheads.Key(contact, i);
            }
        }
        var addresses = introAddresses.Concat(owners.Keys).Distinct().Select(Convert.FromHexString).ToList();
        return new WatchList(now, introAddresses, owners, addresses, edges);
    }

    /// <summary>Lets each session's look-ahead follow what <paramref name="watch"/> brought in (<see cref="LookAheads.Follow"/>).</summary>
    public void Follow(WatchList watch, IReadOnlyList<InboxEntry> received) => _lookAheads.Follow(watch, received);

    /// <summary>Remembers that the intro addresses of <paramref name="watch"/> were fetched (a full poll, not a watch).</summary>
    public Task MarkIntroAddressesPolledAsync(WatchList watch, CancellationToken cancellationToken) =>
        database.SetMetaAsync(LastIntroPollKey, BitConverter.GetBytes(watch.Now.ToUnixTimeSeconds()), cancellationToken);
}
