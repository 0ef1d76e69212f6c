using System.Security.Cryptography;
using Dione.Messaging.Envelopes;
using Dione.Messaging.Protos;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Persistence;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace Dione.Messenger.Conversations;

/// <summary>
/// Publishes this person's prekeys at this week's prekey address (docs/protocol.md §14.3): rotates the signed prekey
/// and tops up one-time prekeys when due, saves them, then replaces the previous publication (delete it with the random
/// token remembered in the database, store the new one under a new token) in the first slot that accepts, starting
/// from the slot that accepted last time.
/// </summary>
internal sealed class PrekeyPublisher(
    MessengerDatabase database, IMailbox mailbox, OwnKeys keys, SemaphoreSlim gate, MessengerOptions options, TimeProvider time, ILogger logger)
{
    private const string SlotKey = "prekeys.slot";
    private const string PublishedKey = "prekeys.published";
    private const int DeletionTokenLength = 32;

    /// <summary>Returns how many holders acknowledged the publication (0 when no slot took it).</summary>
    public async Task<int> PublishAsync(CancellationToken cancellationToken)
    {
        var period = PrekeyAddresses.PeriodAt(time.GetUtcNow());
        var publication = await RenewAsync(period, cancellationToken).ConfigureAwait(false);
        var preferred = (await database.GetMetaAsync(SlotKey, cancellationToken).ConfigureAwait(false)) is [var slotByte] ? slotByte % PrekeyAddresses.Slots : 0;
        for (var attempt = 0; attempt < PrekeyAddresses.Slots; attempt++)
        {
            var slot = (preferred + attempt) % PrekeyAddresses.Slots;
            var address = PrekeyAddresses.Compute(keys.PublicKey, period, slot);
            if (await database.PrekeyDeletionTokenAsync(address, cancellationToken).ConfigureAwait(false) is { } previous)
            {
                await mailbox.DeleteAsync(address, previous, MailboxTraffic.Introductions, cancellationToken).ConfigureAwait(false);
            }
            // A fresh token for each publication: a DELETE shows the old token to the holders, so a token used again
            // would let any of them delete the new publication everywhere and squat the slot.
            var token = RandomNumberGenerator.GetBytes(DeletionTokenLength);
            var expires = PrekeyAddresses.ExpiryOf(period);
            var envelope = new DioneEnvelope
            {
                Version = EnvelopeCodec.Version,
                Address = ByteString.CopyFrom(address),
                Body = ByteString.CopyFrom(publication),
                ExpiresUnixSeconds = (ulong)expires.ToUnixTimeSeconds(),
                DeletionHash = ByteString.CopyFrom(SHA256.HashData(token)),
            }.ToByteArray();
            // Saved before the store, so that a crash after it still leaves the publication deletable by this node.
            await database.SavePrekeyDeletionTokenAsync(address, token, expires, cancellationToken).ConfigureAwait(false);
            var result = await mailbox.StoreAsync(envelope, address, MailboxTraffic.Introductions, cancellationToken).ConfigureAwait(false);
            if (result.Acknowledged.Count > 0)
            {
                await database.SetMetaAsync(SlotKey, [(byte)slot], cancellationToken).ConfigureAwait(false);
                await database.SetMetaAsync(PublishedKey, BitConverter.GetBytes(time.GetUtcNow().ToUnixTimeSeconds()), cancellationToken).ConfigureAwait(false);
                MessengerLog.PrekeysPublished(logger, slot, result.Acknowledged.Count);
                return result.Acknowledged.Count;
            }
        }
        MessengerLog.PrekeysNotPublished(logger);
        return 0;
    }

    /// <summary>When the prekeys were last published, or null.</summary>
    public async Task<DateTimeOffset?> LastPublicationAsync(CancellationToken cancellationToken) =>
        await database.GetMetaAsync(PublishedKey, cancellationToken).ConfigureAwait(false) is { Length: 8 } stamp
            ? DateTimeOffset.FromUnixTimeSeconds(BitConverter.ToInt64(stamp))
            : null;

    /// <summary>Rotates and tops up the prekeys as due, saves them, and returns the publication to store for <paramref name="period"/>.</summary>
    private async Task<byte[]> RenewAsync(ulong period, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            var prekeys = keys.Prekeys;
            if (prekeys.IsRotationDue(now))
            {
                prekeys.RotateSignedPrekey(keys.Identity, now);
            }
            prekeys.PruneExpired(now);
            if (prekeys.OneTimePrekeyCount < options.OneTimePrekeys / 2)
            {
                prekeys.GenerateOneTimePrekeys(keys.Identity, options.OneTimePrekeys - prekeys.OneTimePrekeyCount);
            }
            await database.SavePrekeysAsync(prekeys.ToBytes(), cancellationToken).ConfigureAwait(false);
            keys.PrekeysChanged = false;
            return prekeys.CreatePublication(keys.Identity, period).ToByteArray();
        }
        finally
        {
            gate.Release();
        }
    }
}
