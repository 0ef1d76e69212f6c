using Dione.Messaging.Envelopes;
using Dione.Messaging.Protos;

namespace Dione.Messaging.Sessions;

/// <summary>
/// An encrypted message ready to store. The session state changed when it was made: persist
/// <see cref="DioneSession.Serialize"/> before the envelope leaves the node, or a restart could reuse the message key.
/// </summary>
/// <param name="Envelope">The envelope to store at <paramref name="Address"/>.</param>
/// <param name="Address">The 32-byte mailbox address (equal to <c>Envelope.address</c>).</param>
/// <param name="DeletionToken">The 32-byte token that deletes the envelope from stores (SHA-256 of it is in the envelope).</param>
/// <param name="ExpiresAt">When stores drop the envelope.</param>
public sealed record SealedMessage(DioneEnvelope Envelope, byte[] Address, byte[] DeletionToken, DateTimeOffset ExpiresAt)
{
    /// <summary>The envelope's protobuf encoding.</summary>
    public byte[] ToBytes() => EnvelopeCodec.Encode(Envelope);
}
