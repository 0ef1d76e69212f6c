using Dione.Messaging.Ratchet;

namespace Dione.Messaging.Envelopes;

/// <summary>Bytes that are not a well-formed envelope of the current version within the size limits (garbage, truncated, oversized, wrong field sizes).</summary>
public class InvalidEnvelopeException : MessageRejectedException
{
    public InvalidEnvelopeException(string message) : base(message)
    {
    }

    public InvalidEnvelopeException(string message, Exception inner) : base(message, inner)
    {
    }
}
