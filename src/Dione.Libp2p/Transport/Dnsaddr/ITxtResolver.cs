namespace Dione.Libp2p.Transport.Dnsaddr;

/// <summary>Looks up the DNS TXT records of a name.</summary>
public interface ITxtResolver
{
    /// <summary>
    /// The TXT records of <paramref name="name"/>, one string per record (a record's character-strings joined, as
    /// go's <c>net.LookupTXT</c> does). Empty when the name does not exist or has no TXT records.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid DNS name.</exception>
    /// <exception cref="DnsResolutionException">no name server gave a usable answer.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<IReadOnlyList<string>> ResolveTxtAsync(string name, CancellationToken cancellationToken);
}
