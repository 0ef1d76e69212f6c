namespace Dione.Messaging.X3dh;

/// <summary>A prekey bundle or publication failed verification: malformed, wrong identity, bad key, bad signature, or stale.</summary>
public sealed class InvalidPrekeyBundleException : Exception
{
    public InvalidPrekeyBundleException()
        : base("invalid prekey bundle")
    {
    }

    public InvalidPrekeyBundleException(string message)
        : base(message)
    {
    }

    public InvalidPrekeyBundleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
