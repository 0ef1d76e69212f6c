using Dione.Messaging.Envelopes;
using Dione.Messaging.Identity;
using Dione.Messaging.Protos;
using Dione.Messaging.Ratchet;
using Dione.Messaging.Sessions;
using Dione.Messaging.X3dh;
using Dione.Messenger.Persistence;
using Dione.Messenger.Protos;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace Dione.Messenger.Conversations;

/// <summary>
/// Accepts an intro carrier (docs/protocol.md §14.2): runs the X3DH responder on its sealed intro, starts the session,
/// opens the first message, and commits the contact, the prekeys that consumed the intro, the session and the message
/// in one transaction. A carrier that fails any check is ignored, and so is the replay of one already accepted (its
/// one-time prekey is gone, or its message is already in the inbox). An authentic intro from a contact with whom this
/// side already has a session replaces that session only when it is sure to be newer (§14.7): otherwise it is
/// refused for good and deleted. A carrier from an identity that is not a contact is refused while
/// <see cref="MessengerOptions.MaxUnansweredSessions"/> sessions others started are unanswered.
/// </summary>
internal sealed class IntroAcceptor(MessengerDatabase database, OwnKeys keys, SemaphoreSlim gate, MessengerOptions options, ILogger logger)
{
    /// <summary>How many refused carriers are remembered, so each is logged once and not at every poll that finds it again.</summary>
    private const int RememberedRefusals = 1024;

    private readonly HashSet<string> _refusedAtLimit = new(StringComparer.Ordinal);

    /// <summary>
    /// Returns the first message's inbox entry, or null when the carrier was refused or already received; adds the
    /// carrier's address and deletion token to <paramref name="deletions"/> once it is committed (accepted, or
    /// refused for good).
    /// </summary>
    public async Task<InboxEntry?> AcceptAsync(DioneEnvelope carrier, DateTimeOffset now, List<(byte[] Address, byte[] Token)> deletions, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var before = keys.Prekeys.ToBytes();
        try
        {
            var inner = IntroCarrier.Unwrap(carrier);
            var response = X3dhResponder.AcceptIntro(keys.Identity, keys.Prekeys, carrier.Intro.Span);
            var session = DioneSession.RespondAsBob(response.Secrets, response.RatchetKeyPair, options.Session);
            var opened = session.Open(inner, now);
            var content = MessageContent.Parser.ParseFrom(opened.Plaintext);
            var remoteKey = response.RemoteIdentity.Ed25519PublicKey.ToArray();
            var contact = await database.FindContactByKeyAsync(remoteKey, cancellationToken).ConfigureAwait(false);
            var ours = contact is not null && await database.LoadSessionAsync(contact.Name, cancellationToken).ConfigureAwait(false) is { } state
                ? DioneSession.Restore(state)
                : null;
            if (ours is not null && ReasonToKeep(ours, content.Restarted, response.RemoteIdentity) is { } reason)
            {
                keys.PrekeysChanged |= response.OneTimePrekeyId is not null;
                // The prekey store keeps the intro as used (its one-time prekey deleted, or its ephemeral key in the
                // replay memory), so the X3DH responder refuses this carrier from now on, after a restart too, even
                // where the deletion below does not reach every holder.
                await database.SavePrekeysAsync(keys.Prekeys.ToBytes(), cancellationToken).ConfigureAwait(false);
                deletions.Add((carrier.Address.ToByteArray(), opened.DeletionToken));
                MessengerLog.IntroIgnored(logger, contact!.Name, reason);
                return null;
            }
            if (contact is null && await AtUnansweredLimitAsync(carrier, response.RemoteIdentity, cancellationToken).ConfigureAwait(false))
            {
                // Nothing was committed: the one-time prekey the intro used stays, and so does the carrier at its holders.
                keys.Prekeys = PrekeyStore.FromBytes(before);
                return null;
            }
            keys.PrekeysChanged |= response.OneTimePrekeyId is not null;
            var resent = ours?.PendingIntro is not null && !content.Restarted
                ? await EncryptUnansweredAsync(contact!.Name, session, now, cancellationToken).ConfigureAwait(false)
                : [];
            var name = contact?.Name ?? DioneAddress.Format(response.RemoteIdentity);
            var message = new ReceivedContent(opened.Address, content.Body.ToByteArray(), (long)content.Sequence, content.SentUnixMs);
            var entry = await database.CommitNewSessionAsync(name, remoteKey, keys.Prekeys.ToBytes(), session.Serialize(), message, resent, cancellationToken)
                .ConfigureAwait(false);
            if (entry is not null && ours is not null)
            {
                MessengerLog.SessionReplaced(logger, name, resent.Count);
            }
            deletions.Add((carrier.Address.ToByteArray(), opened.DeletionToken));
            return entry;
        }
        catch (Exception e) when (e is X3dhRejectedException or InvalidProtocolBufferException or InvalidEnvelopeException
            or AddressNotPendingException or MessageAuthenticationException or MessageRejectedException or TooManySkippedMessagesException)
        {
            keys.Prekeys = PrekeyStore.FromBytes(before);
            MessengerLog.IntroRefused(logger, e.Message);
            return null;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Whether a new contact would go beyond <see cref="MessengerOptions.MaxUnansweredSessions"/>; logs the refusal of
    /// <paramref name="carrier"/> the first time it is seen.
    /// </summary>
    private async Task<bool> AtUnansweredLimitAsync(DioneEnvelope carrier, IdentityKey remote, CancellationToken cancellationToken)
    {
        var unanswered = await database.UnansweredSessionsAsync(cancellationToken).ConfigureAwait(false);
        if (unanswered < options.MaxUnansweredSessions)
        {
            return false;
        }
        if (_refusedAtLimit.Count >= RememberedRefusals)
        {
            _refusedAtLimit.Clear();
        }
        if (_refusedAtLimit.Add(Convert.ToHexString(carrier.Address.Span)))
        {
            MessengerLog.UnansweredSessionLimitReached(logger, DioneAddress.Format(remote), unanswered);
        }
        return true;
    }

    /// <summary>
    /// Why an authentic intro from a contact must not replace <paramref name="ours"/>, the session this side has with
    /// them; null when it may. The intro replaces it only when it is sure to be newer:
    /// <list type="bullet">
    /// <item>its first message says that the contact removed our session (<see cref="ForgottenSessions"/>), so they
    /// started over and will never read ours again;</item>
    /// <item>or ours still waits for an answer to its own intro and was started by the identity with the larger key:
    /// a simultaneous first contact, which the session of the smaller key wins on both sides.</item>
    /// </list>
    /// A session that has opened a message from the contact is one they have too: an intro that does not say it
    /// restarts is older than that (a carrier this side ignored as the winner of a simultaneous first contact, or a
    /// copy of one that was delayed), and taking it would leave the two sides on different sessions for good.
    /// </summary>
    private string? ReasonToKeep(DioneSession ours, bool restarted, IdentityKey remote)
    {
        if (restarted)
        {
            return null;
        }
        if (ours.PendingIntro is null)
        {
            return "the session with them is established, and the intro does not say that they started over";
        }
        return keys.PublicKey.Ed25519PublicKey.SequenceCompareTo(remote.Ed25519PublicKey) < 0
            ? "simultaneous first contact: the session started by the smaller key, ours, wins"
            : null;
    }

    /// <summary>
    /// The messages sent to <paramref name="contact"/> on the session that loses a simultaneous first contact, which
    /// the contact never opened: encrypted again, in the order they were sent and with their own sequence numbers and
    /// times, on the <paramref name="winning"/> session, which can send once it has opened the intro's first message.
    /// </summary>
    private async Task<List<(byte[] Address, byte[] Envelope)>> EncryptUnansweredAsync(
        string contact, DioneSession winning, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var resent = new List<(byte[] Address, byte[] Envelope)>();
        foreach (var plaintext in await database.UnansweredContentAsync(contact, cancellationToken).ConfigureAwait(false))
        {
            var envelope = winning.Encrypt(plaintext, now).Envelope;
            resent.Add((envelope.Address.ToByteArray(), envelope.ToByteArray()));
        }
        return resent;
    }
}
