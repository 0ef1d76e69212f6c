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
/// one-time prekey is gone, or its message is already in the inbox). A carrier from an identity that is not a contact
/// is refused while <see cref="MessengerOptions.MaxUnansweredSessions"/> sessions others started are unanswered.
/// </summary>
internal sealed class IntroAcceptor(MessengerDatabase database, OwnKeys keys, SemaphoreSlim gate, MessengerOptions options, ILogger logger)
{
    /// <summary>How many refused carriers are remembered, so each is logged once and not at every poll that finds it again.</summary>
    private const int RememberedRefusals = 1024;

    private readonly HashSet<string> _refusedAtLimit = new(StringComparer.Ordinal);

    /// <summary>
    /// Returns the first message's inbox entry, or null when the carrier was refused or already received; adds the
    /// carrier's address and deletion token to <paramref name="deletions"/> once it is committed.
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
            if (!content.Restarted && await KeepOwnSessionAsync(response.RemoteIdentity, cancellationToken).ConfigureAwait(false))
            {
                keys.Prekeys = PrekeyStore.FromBytes(before);
                return null;
            }
            var remoteKey = response.RemoteIdentity.Ed25519PublicKey.ToArray();
            var known = await database.FindContactByKeyAsync(remoteKey, cancellationToken).ConfigureAwait(false);
            if (known is null && await AtUnansweredLimitAsync(carrier, response.RemoteIdentity, cancellationToken).ConfigureAwait(false))
            {
                // Nothing was committed: the one-time prekey the intro used stays, and so does the carrier at its holders.
                keys.Prekeys = PrekeyStore.FromBytes(before);
                return null;
            }
            var name = known?.Name ?? DioneAddress.Format(response.RemoteIdentity);
            var message = new ReceivedContent(opened.Address, content.Body.ToByteArray(), (long)content.Sequence, content.SentUnixMs);
            var entry = await database.CommitNewSessionAsync(name, remoteKey, keys.Prekeys.ToBytes(), session.Serialize(), message, cancellationToken)
                .ConfigureAwait(false);
            keys.PrekeysChanged |= response.OneTimePrekeyId is not null;
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
    /// Simultaneous first contact: both sides started a session and neither has heard back. Both must end up on the
    /// same one, so the session started by the identity with the smaller key wins: an incoming intro is ignored while
    /// we wait for an answer to our own and our key is the smaller, unless its first message says the peer removed
    /// our session (<see cref="ForgottenSessions"/>), which is not a simultaneous contact. An established session is
    /// replaced by a new intro (the peer started over).
    /// </summary>
    private async Task<bool> KeepOwnSessionAsync(IdentityKey remote, CancellationToken cancellationToken)
    {
        var contact = await database.FindContactByKeyAsync(remote.Ed25519PublicKey.ToArray(), cancellationToken).ConfigureAwait(false);
        if (contact is null || await database.LoadSessionAsync(contact.Name, cancellationToken).ConfigureAwait(false) is not { } state)
        {
            return false;
        }
        return DioneSession.Restore(state).PendingIntro is not null
            && keys.PublicKey.Ed25519PublicKey.SequenceCompareTo(remote.Ed25519PublicKey) < 0;
    }
}
