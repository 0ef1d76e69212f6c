using System.Collections.Concurrent;
using Dione.Messenger.Persistence;

namespace Dione.Messenger.Conversations;

/// <summary>
/// How far beyond its window each session's addresses are asked for. A session starts at
/// <see cref="MessengerOptions.LookAhead"/>; while fetches keep coming back full (an envelope opened at the furthest
/// address asked for in a chain, so more may be waiting beyond), its look-ahead grows fourfold, up to what MAX_SKIP
/// lets a message open at; the first fetch that brings something but does not reach the end puts it back. A backlog of
/// N messages then takes O(log N) fetch rounds instead of N / (W + look-ahead): four times, not twice, because a fetch
/// round costs a round trip to every holder while a few hundred addresses more cost little, and so 300 messages take
/// three rounds that bring messages instead of four. In memory only: a restart starts again from the base.
/// </summary>
internal sealed class LookAheads(MessengerOptions options)
{
    /// <summary>How much a look-ahead that came back full grows for the next fetch.</summary>
    private const int Growth = 4;

    private readonly ConcurrentDictionary<string, int> _grown = new(StringComparer.Ordinal);

    /// <summary>The most addresses beyond the window a chain can have that still open within MAX_SKIP.</summary>
    private int Limit => Math.Max(options.LookAhead, options.Session.MaxSkip + 1 - options.Session.AddressWindow);

    /// <summary>
    /// The look-ahead to ask for now in chain <paramref name="chain"/> (0 the current, 1 the peer's next) of
    /// <paramref name="contact"/>'s session. Each chain grows on its own: a backlog fills one of them.
    /// </summary>
    public int For(string contact, int chain) => _grown.TryGetValue(Key(contact, chain), out var grown) ? grown : options.LookAhead;

    /// <summary>How a chain of a contact's session is named in <see cref="WatchList.LookAheadEdges"/>.</summary>
    public static string Key(string contact, int chain) => $"{chain}:{contact}";

    /// <summary>
    /// After <paramref name="watch"/> was fetched and read: multiplies by <see cref="Growth"/> the look-ahead of every
    /// chain for which <paramref name="received"/> holds an envelope at its furthest address, and resets every other one.
    /// </summary>
    public void Follow(WatchList watch, IReadOnlyList<InboxEntry> received)
    {
        var full = received.Select(entry => Convert.ToHexString(entry.Address))
            .Select(address => watch.LookAheadEdges.GetValueOrDefault(address))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        foreach (var chain in watch.LookAheadEdges.Values.Distinct(StringComparer.Ordinal))
        {
            if (full.Contains(chain))
            {
                _grown[chain] = (int)Math.Min((long)Growth * _grown.GetValueOrDefault(chain, options.LookAhead), Limit);
            }
            else
            {
                _grown.TryRemove(chain, out _);
            }
        }
    }
}
