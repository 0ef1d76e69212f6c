using Dione.Messaging.Envelopes;
using Dione.Messaging.Protos;
using Dione.Messaging.Ratchet;
using Dione.Messaging.Sessions;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Persistence;
using Dione.Messenger.Protos;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace Dione.Messenger.Conversations;

/// <summary>
/// Turns fetched envelopes into inbox entries: intro carriers go to the <see cref="IntroAcceptor"/>, envelopes at a
/// session's addresses are opened on that session. Per contact, the new session state and the opened messages (in the
/// sender's order) are committed in one transaction; only after every commit are the read envelopes deleted at their
/// holders. A crash between the two leaves envelopes at the holders that the advanced sessions no longer accept, so
/// nothing is delivered twice. Garbage, duplicates and replays are skipped.
/// </summary>
internal sealed class EnvelopeReader(
    MessengerDatabase database, IMailbox mailbox, IntroAcceptor intros, SemaphoreSlim gate, ILogger logger, Action<InboxEntry> received)
{
    /// <summary>How many deletions run at once.</summary>
    private const int DeletionParallelism = 8;

    private readonly EnvelopeVersionRefusals _versionRefusals = new(logger);

    /// <summary>Opens and commits what <paramref name="fetched"/> holds for <paramref name="watch"/>; returns the new messages.</summary>
    public async Task<IReadOnlyList<InboxEntry>> ReadAsync(IReadOnlyList<byte[]> fetched, WatchList watch, CancellationToken cancellationToken)
    {
        var added = new List<InboxEntry>();
        var deletions = new List<(byte[] Address, byte[] Token)>();
        var byContact = new Dictionary<string, List<DioneEnvelope>>();
        foreach (var bytes in fetched)
        {
            if (!TryParse(bytes, out var envelope))
            {
                continue;
            }
            var key = Convert.ToHexString(envelope.Address.Span);
            if (watch.IntroAddresses.Contains(key) && IntroCarrier.IsCarrier(envelope))
            {
                if (await intros.AcceptAsync(envelope, watch.Now, deletions, cancellationToken).ConfigureAwait(false) is { } first)
                {
                    added.Add(first);
                }
            }
            else if (watch.Owners.TryGetValue(key, out var contact))
            {
                (byContact.TryGetValue(contact, out var list) ? list : byContact[contact] = []).Add(envelope);
            }
        }
        foreach (var (contact, envelopes) in byContact)
        {
            added.AddRange(await OpenForContactAsync(contact, envelopes, watch.Now, deletions, cancellationToken).ConfigureAwait(false));
        }
        foreach (var entry in added)
        {
            received(entry);
        }
        await DeleteReadAsync(deletions, watch, cancellationToken).ConfigureAwait(false);
        return added;
    }

    /// <summary>An envelope, or a carrier (which <see cref="EnvelopeCodec"/> refuses: it has no header).</summary>
    private bool TryParse(byte[] bytes, out DioneEnvelope envelope)
    {
        try
        {
            envelope = EnvelopeCodec.Parse(bytes);
            return true;
        }
        catch (UnsupportedEnvelopeVersionException e)
        {
            _versionRefusals.Report(e);
            envelope = new DioneEnvelope();
            return false;
        }
        catch (InvalidEnvelopeException)
        {
        }
        try
        {
            envelope = DioneEnvelope.Parser.ParseFrom(bytes);
            return IntroCarrier.IsCarrier(envelope);
        }
        catch (InvalidProtocolBufferException)
        {
            envelope = new DioneEnvelope();
            return false;
        }
    }

    private async Task<IReadOnlyList<InboxEntry>> OpenForContactAsync(
        string contact, List<DioneEnvelope> envelopes, DateTimeOffset now, List<(byte[] Address, byte[] Token)> deletions, CancellationToken cancellationToken)
    {
        var opened = new List<(ReceivedContent Message, byte[] Token)>();
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = await database.LoadSessionAsync(contact, cancellationToken).ConfigureAwait(false);
            if (state is null)
            {
                return [];
            }
            var session = DioneSession.Restore(state);
            foreach (var envelope in envelopes)
            {
                try
                {
                    var message = session.Open(envelope, now);
                    var content = MessageContent.Parser.ParseFrom(message.Plaintext);
                    opened.Add((new ReceivedContent(message.Address, content.Body.ToByteArray(), (long)content.Sequence, content.SentUnixMs), message.DeletionToken));
                }
                catch (Exception e) when (e is InvalidProtocolBufferException or InvalidEnvelopeException or AddressNotPendingException
                    or MessageAuthenticationException or MessageRejectedException or TooManySkippedMessagesException)
                {
                    MessengerLog.EnvelopeRefused(logger, contact, e.Message);
                }
            }
            if (opened.Count == 0)
            {
                return [];
            }
            var ordered = opened.OrderBy(o => o.Message.Sequence).Select(o => o.Message).ToList();
            var added = await database.CommitReceiveBatchAsync(contact, session.Serialize(), ordered, cancellationToken).ConfigureAwait(false);
            deletions.AddRange(opened.Select(o => (o.Message.Address, o.Token)));
            return added;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Asks the holders to delete envelopes that were read, with their tokens; best effort, in parallel. A carrier at
    /// one of this person's intro slots is deleted as intro traffic, anything else as session traffic.
    /// </summary>
    private Task DeleteReadAsync(List<(byte[] Address, byte[] Token)> deletions, WatchList watch, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(deletions, new ParallelOptions { MaxDegreeOfParallelism = DeletionParallelism, CancellationToken = cancellationToken },
            async (deletion, ct) => await mailbox.DeleteAsync(deletion.Address, deletion.Token, watch.TrafficOf(deletion.Address), ct).ConfigureAwait(false));
}
