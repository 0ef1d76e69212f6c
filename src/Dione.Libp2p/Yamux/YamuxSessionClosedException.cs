namespace Dione.Libp2p.Yamux;

/// <summary>The yamux session has ended (or is going away), so the operation cannot be performed.</summary>
public sealed class YamuxSessionClosedException : YamuxException
{
    /// <summary>Creates the exception with a message and the error that ended the session, if any.</summary>
    public YamuxSessionClosedException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
