using Dione.Messenger.Mailbox;

namespace Dione.Messenger.Conversations;

/// <summary>
/// The addresses one poll or watch asks for, taken at <paramref name="Now"/>: the intro addresses since the last poll
/// and every session's pending and look-ahead addresses, each mapped (as hex) to the contact whose session expects it.
/// <paramref name="LookAheadEdges"/> holds the furthest look-ahead address of each session's chains (as hex, with the
/// chain's <see cref="LookAheads.Key"/>): an envelope there means the backlog may go on beyond.
/// </summary>
internal sealed record WatchList(
    DateTimeOffset Now, HashSet<string> IntroAddresses, Dictionary<string, string> Owners, List<byte[]> Addresses, Dictionary<string, string> LookAheadEdges)
{
    /// <summary>The addresses of <see cref="Addresses"/> asked for as each kind of traffic (intro slots apart from sessions), kinds with none left out.</summary>
    public IReadOnlyList<(MailboxTraffic Traffic, IReadOnlyCollection<byte[]> Addresses)> ByTraffic() =>
        [.. Addresses.GroupBy(TrafficOf).Select(g => (g.Key, (IReadOnlyCollection<byte[]>)g.ToList()))];

    /// <summary><see cref="MailboxTraffic.Introductions"/> for one of this person's intro addresses, else <see cref="MailboxTraffic.Sessions"/>.</summary>
    public MailboxTraffic TrafficOf(byte[] address) =>
        IntroAddresses.Contains(Convert.ToHexString(address)) ? MailboxTraffic.Introductions : MailboxTraffic.Sessions;
}
