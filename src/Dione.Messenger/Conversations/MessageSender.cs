using Dione.Messaging.Identity;
using Dione.Messaging.Intro;
using Dione.Messaging.Sessions;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Persistence;
using Dione.Messenger.Protos;
using Google.Protobuf;

namespace Dione.Messenger.Conversations;

/// <summary>
/// Sends one message: encrypts it on the contact's session (starting one when there is none, the first envelope then
/// travelling in an intro carrier with the session's sealed intro, the only envelope that ever holds it), commits the
/// advanced state together with the envelope in the outbox, and only then makes a first attempt to store the envelope
/// at its holders.
/// </summary>
/// <remarks>
/// The commit comes first so that a crash at any later moment neither reuses the message key (the state already
/// moved on) nor loses the message (the <see cref="OutboxRetrier"/> stores it after a restart).
/// </remarks>
internal sealed class MessageSender(
    MessengerDatabase database, IMailbox mailbox, SessionStarter starter, ForgottenSessions forgotten, IntroAddresses intro, SemaphoreSlim gate, MessengerOptions options, TimeProvider time)
{
    /// <exception cref="MessengerException">unknown contact, message too long, or no prekeys of theirs found.</exception>
    public async Task<SendResult> SendAsync(string contact, byte[] body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length > options.MaxMessageBytes)
        {
            throw new MessengerException($"a message has at most {options.MaxMessageBytes} bytes, not {body.Length}");
        }
        var (id, address, envelope) = await CommitAsync(contact, body, cancellationToken).ConfigureAwait(false);
        var result = await mailbox.StoreAsync(envelope, address, IntroCarrier.TrafficOf(envelope), cancellationToken).ConfigureAwait(false);
        await database.RecordAttemptAsync(id, result.Acknowledged.Count, result.Complete, cancellationToken).ConfigureAwait(false);
        return new SendResult(id, address, result);
    }

    private async Task<(long Id, byte[] Address, byte[] Envelope)> CommitAsync(string contact, byte[] body, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var entry = await database.FindContactAsync(contact, cancellationToken).ConfigureAwait(false)
                ?? throw new MessengerException($"no contact named '{contact}' (add one with 'dione contact add NAME ADDRESS')");
            var now = time.GetUtcNow();
            var state = await database.LoadSessionAsync(contact, cancellationToken).ConfigureAwait(false);
            var session = state is null ? await starter.StartAsync(entry, now, cancellationToken).ConfigureAwait(false) : DioneSession.Restore(state);
            var content = new MessageContent
            {
                Sequence = (ulong)await database.NextSequenceAsync(contact, cancellationToken).ConfigureAwait(false),
                SentUnixMs = now.ToUnixTimeMilliseconds(),
                Body = ByteString.CopyFrom(body),
                Restarted = state is null && await forgotten.ContainsAsync(entry.IdentityKey, cancellationToken).ConfigureAwait(false),
            };
            var plaintext = content.ToByteArray();
            // Until the contact answers, their own session may still win a simultaneous first contact and replace this
            // one: the plaintext is kept so the message can then be sent again on theirs (IntroAcceptor).
            var unanswered = session.PendingIntro is null ? null : plaintext;
            var outgoing = session.Encrypt(plaintext, now).Envelope;
            if (state is null)
            {
                // The only envelope that holds the intro: the ones sealed after it go out without it (§14.2).
                var sealedIntro = session.PendingIntro ?? throw new InvalidOperationException("a started session keeps its intro until the first reply");
                outgoing = IntroCarrier.Wrap(outgoing, sealedIntro, intro.ForSender(IdentityKey.FromEd25519(entry.IdentityKey), now).Address);
            }
            var address = outgoing.Address.ToByteArray();
            var envelope = outgoing.ToByteArray();
            var id = await database.CommitSendAsync(contact, session.Serialize(), address, envelope, unanswered, cancellationToken).ConfigureAwait(false);
            if (content.Restarted)
            {
                await forgotten.ClearAsync(entry.IdentityKey, cancellationToken).ConfigureAwait(false);
            }
            return (id, address, envelope);
        }
        finally
        {
            gate.Release();
        }
    }
}
