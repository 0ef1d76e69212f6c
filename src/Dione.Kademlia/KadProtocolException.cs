namespace Dione.Kademlia;

/// <summary>
/// A kad message broke the protocol: a request the server refuses (malformed, unknown type, bad key, invalid or
/// outdated record, no valid provider), or a reply the client cannot use (missing, garbage, of another type).
/// </summary>
public sealed class KadProtocolException : Exception
{
    public KadProtocolException()
    {
    }

    public KadProtocolException(string message)
        : base(message)
    {
    }

    public KadProtocolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
