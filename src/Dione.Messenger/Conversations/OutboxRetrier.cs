using Dione.Messaging.Identity;
using Dione.Messaging.Intro;
using Dione.Messaging.Protos;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Persistence;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace Dione.Messenger.Conversations;

/// <summary>
/// Stores again every outbox envelope that fewer than r holders acknowledged (after a failed first attempt, or a crash
/// before it), until enough did or a holder answers that the recipient has read and deleted it. An intro carrier whose
/// slot is taken at every holder moves to another slot; any other envelope whose address is taken is given up.
/// </summary>
internal sealed class OutboxRetrier(MessengerDatabase database, IMailbox mailbox, IntroAddresses intro, TimeProvider time, ILogger logger)
{
    /// <summary>Tries every pending envelope once; returns how many are now complete.</summary>
    public async Task<int> DeliverPendingAsync(CancellationToken cancellationToken)
    {
        var completed = 0;
        foreach (var entry in await database.PendingAsync(cancellationToken).ConfigureAwait(false))
        {
            var result = await mailbox.StoreAsync(entry.Envelope, entry.Address, IntroCarrier.TrafficOf(entry.Envelope), cancellationToken).ConfigureAwait(false);
            // A deletion needs a store first: a NOT_FOUND for an envelope no holder ever acknowledged is not believed, or one
            // hostile holder could end the retries of a message stored nowhere.
            if (result.Deleted && Math.Max(entry.Acknowledgements, result.Acknowledged.Count) > 0)
            {
                // The recipient opened it and deleted it with its token: delivered, and every further STORE could only
                // put back, at a holder that never saw the DELETE, what the recipient removed.
                await database.RecordAttemptAsync(entry.Id, result.Acknowledged.Count, done: true, cancellationToken).ConfigureAwait(false);
                completed++;
                continue;
            }
            if (result.RefusedAsConflict)
            {
                await MoveCarrierAsync(entry, cancellationToken).ConfigureAwait(false);
                continue;
            }
            await database.RecordAttemptAsync(entry.Id, result.Acknowledged.Count, result.Complete, cancellationToken).ConfigureAwait(false);
            completed += result.Complete ? 1 : 0;
        }
        return completed;
    }

    /// <summary>
    /// Re-wraps a refused carrier for the recipient's current intro slot (the next attempt stores it there). A carrier
    /// for a contact who was removed is given up, and so is any other envelope refused as a conflict.
    /// </summary>
    /// <remarks>
    /// Only the two parties of a session can compute its ratchet addresses, and the recipient never writes to ours, so
    /// another envelope under one of them came from this node: one sealed from an older copy of the session (a database
    /// restored from a backup, a state lost in a crash). Holders keep the first envelope until it expires, so retrying cannot store this one, and the recipient
    /// opens whichever is there; the entry is closed with a warning instead of being retried every poll for 14 days.
    /// </remarks>
    private async Task MoveCarrierAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var carrier = DioneEnvelope.Parser.ParseFrom(entry.Envelope);
        if (!IntroCarrier.IsCarrier(carrier))
        {
            MessengerLog.OutboxEntryTaken(logger, entry.Id, entry.Contact);
            await database.RecordAttemptAsync(entry.Id, 0, done: true, cancellationToken).ConfigureAwait(false);
            return;
        }
        var contact = await database.FindContactAsync(entry.Contact, cancellationToken).ConfigureAwait(false);
        if (contact is null)
        {
            await database.RecordAttemptAsync(entry.Id, 0, done: true, cancellationToken).ConfigureAwait(false);
            return;
        }
        var moved = IntroCarrier.MoveTo(carrier, intro.ForSender(IdentityKey.FromEd25519(contact.IdentityKey), time.GetUtcNow()).Address);
        await database.ReplaceOutboxEnvelopeAsync(entry.Id, moved.Address.ToByteArray(), moved.ToByteArray(), cancellationToken).ConfigureAwait(false);
    }
}
