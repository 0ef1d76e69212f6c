namespace Dione.Messaging.Ratchet;

/// <summary>The header or the body failed authentication, or the authenticated header contradicts the address it came under (tampering or corruption).</summary>
public sealed class MessageAuthenticationException : MessageRejectedException
{
    public MessageAuthenticationException(string message) : base(message)
    {
    }

    public MessageAuthenticationException(string message, Exception inner) : base(message, inner)
    {
    }
}
