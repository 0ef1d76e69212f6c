namespace Dione.Messaging.Sessions;

/// <summary>Bytes that are not a session state this code wrote (garbage, truncated, unknown format, keys of the wrong size).</summary>
public sealed class InvalidSessionStateException : Exception
{
    public InvalidSessionStateException(string message) : base(message)
    {
    }

    public InvalidSessionStateException(string message, Exception inner) : base(message, inner)
    {
    }
}
