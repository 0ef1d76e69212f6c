namespace Dione.Messenger.Conversations;

/// <summary>A messaging request that cannot be done as asked (unknown contact, bad address, no prekeys found...); the message says why.</summary>
public sealed class MessengerException : Exception
{
    public MessengerException(string message)
        : base(message)
    {
    }

    public MessengerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
