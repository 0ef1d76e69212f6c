using Dione.Messaging.Envelopes;
using Dione.Messaging.Protos;
using Dione.Messenger.Mailbox;
using Google.Protobuf;

namespace Dione.Messenger.Conversations;

/// <summary>
/// A session's first envelope cannot sit at a ratchet address, because the recipient does not know the session yet. It
/// travels inside a carrier envelope at one of the recipient's intro addresses: the carrier holds the sealed intro and,
/// as its body, the first envelope itself. Its expiry and deletion hash are the inner envelope's, so the recipient
/// deletes it with the same token. The carrier is the only envelope that ever holds the intro: later envelopes of the
/// session go to ratchet addresses without it, and the recipient finds them once the carrier has given it the session.
/// </summary>
public static class IntroCarrier
{
    /// <summary>Wraps <paramref name="inner"/> (a ratchet envelope) with <paramref name="sealedIntro"/> for <paramref name="introAddress"/>.</summary>
    public static DioneEnvelope Wrap(DioneEnvelope inner, byte[] sealedIntro, byte[] introAddress)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(sealedIntro);
        ArgumentNullException.ThrowIfNull(introAddress);
        if (sealedIntro.Length is 0 or > EnvelopeCodec.MaxIntroLength)
        {
            throw new ArgumentException($"a carrier's intro is 1 to {EnvelopeCodec.MaxIntroLength} bytes", nameof(sealedIntro));
        }
        EnvelopeCodec.Validate(inner);
        return new DioneEnvelope
        {
            Version = inner.Version,
            Address = ByteString.CopyFrom(introAddress),
            Body = inner.ToByteString(),
            ExpiresUnixSeconds = inner.ExpiresUnixSeconds,
            DeletionHash = inner.DeletionHash,
            Intro = ByteString.CopyFrom(sealedIntro),
        };
    }

    /// <summary>The same carrier at another intro address (its slot was taken).</summary>
    public static DioneEnvelope MoveTo(DioneEnvelope carrier, byte[] introAddress)
    {
        ArgumentNullException.ThrowIfNull(carrier);
        ArgumentNullException.ThrowIfNull(introAddress);
        var moved = carrier.Clone();
        moved.Address = ByteString.CopyFrom(introAddress);
        return moved;
    }

    /// <summary>True when <paramref name="envelope"/> looks like a carrier: an intro, and no header of its own.</summary>
    public static bool IsCarrier(DioneEnvelope envelope) => !envelope.Intro.IsEmpty && envelope.Header.IsEmpty;

    /// <summary>
    /// The traffic an outgoing envelope belongs to: a carrier goes to another person's intro slot
    /// (<see cref="MailboxTraffic.Contacting"/>), anything else to a session address.
    /// </summary>
    public static MailboxTraffic TrafficOf(byte[] envelope) =>
        IsCarrier(DioneEnvelope.Parser.ParseFrom(envelope)) ? MailboxTraffic.Contacting : MailboxTraffic.Sessions;

    /// <summary>The ratchet envelope inside a carrier (the sealed intro stays in the carrier's <c>intro</c>).</summary>
    /// <exception cref="InvalidProtocolBufferException">the body is not an envelope.</exception>
    public static DioneEnvelope Unwrap(DioneEnvelope carrier)
    {
        ArgumentNullException.ThrowIfNull(carrier);
        return DioneEnvelope.Parser.ParseFrom(carrier.Body);
    }
}
