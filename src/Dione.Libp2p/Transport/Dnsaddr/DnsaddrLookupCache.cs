namespace Dione.Libp2p.Transport.Dnsaddr;

/// <summary>
/// The TXT answers of one resolver call: each name is looked up once, and at most a fixed number of distinct names are
/// looked up at all. A failed lookup counts, and is remembered as having no records.
/// </summary>
internal sealed class DnsaddrLookupCache(ITxtResolver resolver, int maxLookups)
{
    private readonly Dictionary<string, IReadOnlyList<string>> _answers = new(StringComparer.OrdinalIgnoreCase);

    public int Lookups => _answers.Count;

    /// <summary>The records of <paramref name="name"/>, or null when the lookup budget is spent.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IReadOnlyList<string>?> GetAsync(string name, Action<string> onFailure, CancellationToken cancellationToken)
    {
        if (_answers.TryGetValue(name, out var known))
        {
            return known;
        }
        if (_answers.Count >= maxLookups)
        {
            return null;
        }
        IReadOnlyList<string> records;
        try
        {
            records = await resolver.ResolveTxtAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The resolver is pluggable; whatever it throws only loses this branch.
            onFailure(e.Message);
            records = [];
        }
        _answers[name] = records;
        return records;
    }
}
