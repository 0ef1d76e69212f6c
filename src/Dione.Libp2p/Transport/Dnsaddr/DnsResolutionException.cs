namespace Dione.Libp2p.Transport.Dnsaddr;

/// <summary>A DNS lookup failed: every name server timed out, refused, failed, or answered with garbage.</summary>
public sealed class DnsResolutionException : Exception
{
    public DnsResolutionException()
    {
    }

    public DnsResolutionException(string message)
        : base(message)
    {
    }

    public DnsResolutionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
