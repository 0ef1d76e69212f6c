namespace Dione.Messaging.Ratchet;

/// <summary>
/// An envelope the session will not open. The session state is unchanged when this is thrown, so the caller can go on
/// with other envelopes. Subclasses say why.
/// </summary>
public class MessageRejectedException : Exception
{
    public MessageRejectedException(string message) : base(message)
    {
    }

    public MessageRejectedException(string message, Exception inner) : base(message, inner)
    {
    }
}
