namespace Dione.Messaging.Ratchet;

/// <summary>
/// Opening the message would skip more than MAX_SKIP message keys in one chain. Nothing was changed; messages within
/// the window still open, and once enough of them have, this one may too.
/// </summary>
public sealed class TooManySkippedMessagesException : MessageRejectedException
{
    public TooManySkippedMessagesException(string message) : base(message)
    {
    }
}
