namespace Dione.Libp2p.Yamux;

/// <summary>Base type of the errors the yamux multiplexer reports; an <see cref="IOException"/>.</summary>
public class YamuxException : IOException
{
    /// <summary>Creates the exception with a message.</summary>
    public YamuxException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public YamuxException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
