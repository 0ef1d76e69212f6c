namespace Dione.Messenger.Mailbox;

/// <summary>
/// The kinds of mailbox traffic a person's node keeps apart: each goes out under its own throwaway libp2p identity
/// (<see cref="EphemeralIdentities"/>), so a holder that sees one kind cannot attribute the others to the same person.
/// </summary>
public enum MailboxTraffic
{
    /// <summary>
    /// Addresses computed from this person's own identity key: fetching (and deleting) intro carriers at their intro
    /// slots, publishing their prekeys. Anyone can compute these addresses, so whoever asks for them is known to be this person.
    /// </summary>
    Introductions,

    /// <summary>
    /// Addresses computed from another person's identity key: fetching their prekeys and storing the intro carrier
    /// of a first message at their intro slot. Kept apart from <see cref="Introductions"/> so that a holder of both
    /// slots cannot tell who contacted whom.
    /// </summary>
    Contacting,

    /// <summary>Addresses derived from a session's ratchet: every envelope of a conversation after its intro carrier.</summary>
    Sessions,
}
