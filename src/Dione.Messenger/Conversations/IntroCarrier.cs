using Dione.Messaging.Protos;
using Google.Protobuf;

namespace Dione.Messenger.Conversations;

/// <summary>
/// A session's first envelope cannot sit at a ratchet address, because the recipient does not know the session yet. It
/// travels inside a carrier envelope at one of the recipient's intro addresses: the carrier holds the sealed intro and,
/// as its body, the first envelope itself (whose own intro is moved out to the carrier). Its expiry and deletion hash
/// are the inner envelope's, so the recipient deletes it with the same token.
/// </summary>
public static class IntroCarrier
{
    /// <summary>Wraps <paramref name="inner"/> (which must carry an intro) for <paramref name="introAddress"/>.</summary>
    public static DioneEnvelope Wrap(DioneEnvelope inner, byte[] introAddress)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(introAddress);
        if (inner.Intro.IsEmpty)
        {
            throw new ArgumentException("only an envelope that carries an intro goes into a carrier", nameof(inner));
        }
        var stripped = inner.Clone();
        stripped.Intro = ByteString.Empty;
        return new DioneEnvelope
        {
            Version = inner.Version,
            Address = ByteString.CopyFrom(introAddress),
            Body = stripped.ToByteString(),
            ExpiresUnixSeconds = inner.ExpiresUnixSeconds,
            DeletionHash = inner.DeletionHash,
            Intro = inner.Intro,
        };
    }

    /// <summary>True when <paramref name="envelope"/> looks like a carrier: an intro, and no header of its own.</summary>
    public static bool IsCarrier(DioneEnvelope envelope) => !envelope.Intro.IsEmpty && envelope.Header.IsEmpty;

    /// <summary>The envelope inside a carrier, with the carrier's intro put back.</summary>
    /// <exception cref="InvalidProtocolBufferException">the body is not an envelope.</exception>
    public static DioneEnvelope Unwrap(DioneEnvelope carrier)
    {
        ArgumentNullException.ThrowIfNull(carrier);
        var inner = DioneEnvelope.Parser.ParseFrom(carrier.Body);
        inner.Intro = carrier.Intro;
        return inner;
    }
}
