using Dione.Messaging.Intro;
using Dione.Messaging.Sessions;

namespace Dione.Messenger.Conversations;

/// <summary>Settings of a <see cref="DioneMessenger"/>.</summary>
public sealed record MessengerOptions
{
    public SessionOptions Session { get; init; } = SessionOptions.Default;

    public IntroAddressOptions Intro { get; init; } = IntroAddressOptions.Default;

    /// <summary>How often the background loop polls the mailbox and retries the outbox.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one watch keeps its waiting FETCH requests open at the holders (at most 30 s, the protocol's cap).</summary>
    public TimeSpan WatchWait { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How often the prekey publication is renewed even when nothing changed (a day).</summary>
    public TimeSpan PrekeyRepublishInterval { get; init; } = TimeSpan.FromDays(1);

    /// <summary>One-time prekeys kept on hand; topped up to this when fewer are left.</summary>
    public int OneTimePrekeys { get; init; } = 100;

    /// <summary>Largest message body a user may send (the ratchet's 64 KiB less room for the content's own fields).</summary>
    public int MaxMessageBytes { get; init; } = 60 * 1024;

    /// <summary>Poll rounds in one <see cref="DioneMessenger.PollAsync"/> at most (each round follows the windows that the previous one moved).</summary>
    public int MaxPollRounds { get; init; } = 256;

    /// <summary>
    /// Addresses beyond each session's window polled as well (the ratchet's recovery addresses), so a burst of messages
    /// arrives in a few rounds and a run of lost envelopes does not stall the window.
    /// </summary>
    public int LookAhead { get; init; } = 32;

    /// <summary>
    /// The most sessions others started that this person has not answered yet (contacts with a session and no message
    /// sent to them). At the limit a first message from an identity that is not a contact is refused: not opened into
    /// the inbox, its one-time prekey kept, its carrier left at the holders (it is accepted when it is fetched again
    /// after the person answered or removed someone). Contacts already in the book are always accepted.
    /// </summary>
    public int MaxUnansweredSessions { get; init; } = DefaultMaxUnansweredSessions;

    /// <summary>The default of <see cref="MaxUnansweredSessions"/>.</summary>
    public const int DefaultMaxUnansweredSessions = 100;
}
