using Dione.Messaging.Identity;
using Dione.Messaging.Intro;
using Dione.Messaging.Protos;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Persistence;
using Google.Protobuf;

namespace Dione.Messenger.Conversations;

/// <summary>
/// Stores again every outbox envelope that fewer than r holders acknowledged (after a failed first attempt, or a crash
/// before it), until enough did. An intro carrier whose slot is taken at every holder moves to another slot.
/// </summary>
internal sealed class OutboxRetrier(MessengerDatabase database, IMailbox mailbox, IntroAddresses intro, TimeProvider time)
{
    /// <summary>Tries every pending envelope once; returns how many are now complete.</summary>
    public async Task<int> DeliverPendingAsync(CancellationToken cancellationToken)
    {
        var completed = 0;
        foreach (var entry in await database.PendingAsync(cancellationToken).ConfigureAwait(false))
        {
            var result = await mailbox.StoreAsync(entry.Envelope, entry.Address, IntroCarrier.TrafficOf(entry.Envelope), cancellationToken).ConfigureAwait(false);
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
    /// Re-wraps a refused carrier for the recipient's current intro slot (the next attempt stores it there). Anything
    /// else refused as a conflict stays as it is, and a carrier for a contact who was removed is given up.
    /// </summary>
    private async Task MoveCarrierAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var carrier = DioneEnvelope.Parser.ParseFrom(entry.Envelope);
        if (!IntroCarrier.IsCarrier(carrier))
        {
            await database.RecordAttemptAsync(entry.Id, 0, done: false, cancellationToken).ConfigureAwait(false);
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
