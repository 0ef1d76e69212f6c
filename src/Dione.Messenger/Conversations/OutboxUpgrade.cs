using Dione.Messaging.Envelopes;
using Dione.Messaging.Protos;
using Dione.Messenger.Persistence;
using Google.Protobuf;

namespace Dione.Messenger.Conversations;

/// <summary>
/// Brings envelopes that a build of wire-format version 1 committed to the outbox, and never got acknowledged, to the
/// current version (docs/protocol.md §8.1.1): holders of this version refuse version 1, so they would wait forever.
/// The version field and the intro are covered by no AEAD, so the ratchet envelope is the same message with the
/// version raised and the intro (which version 1 repeated until the first reply) removed; a carrier keeps its intro
/// and gets the same treatment for the envelope it wraps.
/// </summary>
internal static class OutboxUpgrade
{
    /// <summary>The wire-format version whose envelopes this upgrades.</summary>
    public const uint FromVersion = 1;

    /// <summary>Rewrites every pending version-1 envelope in place; returns how many.</summary>
    public static async Task<int> UpgradeAsync(MessengerDatabase database, CancellationToken cancellationToken)
    {
        var upgraded = 0;
        foreach (var entry in await database.PendingAsync(cancellationToken).ConfigureAwait(false))
        {
            var envelope = DioneEnvelope.Parser.ParseFrom(entry.Envelope);
            if (envelope.Version != FromVersion)
            {
                continue;
            }
            await database.ReplaceOutboxEnvelopeAsync(entry.Id, entry.Address, Upgrade(envelope).ToByteArray(), cancellationToken).ConfigureAwait(false);
            upgraded++;
        }
        return upgraded;
    }

    private static DioneEnvelope Upgrade(DioneEnvelope envelope)
    {
        var upgraded = envelope.Clone();
        upgraded.Version = EnvelopeCodec.Version;
        if (IntroCarrier.IsCarrier(upgraded))
        {
            var inner = IntroCarrier.Unwrap(upgraded);
            inner.Version = EnvelopeCodec.Version;
            inner.Intro = ByteString.Empty;
            upgraded.Body = inner.ToByteString();
        }
        else
        {
            upgraded.Intro = ByteString.Empty;
        }
        return upgraded;
    }
}
