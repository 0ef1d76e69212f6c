using Dione.Libp2p.Multiformats.Multiaddr;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dione.Libp2p.Transport.Dnsaddr;

/// <summary>
/// Resolves <c>/dnsaddr/NAME[/SUFFIX…]</c> addresses as multiformats/multiaddr <c>protocols/DNSADDR.md</c> says: the
/// TXT records of <c>_dnsaddr.NAME</c> that read <c>dnsaddr=&lt;multiaddr&gt;</c>, keeping only entries that end with
/// the components after the name (so <c>/dnsaddr/NAME/p2p/ID</c> keeps only entries for peer ID) and are longer than
/// them, resolving entries that are <c>/dnsaddr</c> again in turn. Other TXT records and entries that do not parse are
/// skipped; a failed lookup loses only its branch. Bounded by <see cref="DnsaddrResolverOptions"/>: the depth of nested
/// lookups (which also ends loops such as A → B → A), the addresses per resolved address, the distinct names looked up
/// per call (each looked up once per call) and the time per call. Only a leading <c>/dnsaddr</c> is resolved, as
/// go-libp2p's swarm does; other addresses pass through.
/// </summary>
public sealed class DnsaddrResolver
{
    /// <summary>Valid TXT entries start with this.</summary>
    public const string EntryPrefix = "dnsaddr=";

    /// <summary>The records of <c>/dnsaddr/NAME</c> live at this prefix followed by NAME.</summary>
    public const string RecordNamePrefix = "_dnsaddr.";

    private readonly ITxtResolver _txtResolver;
    private readonly DnsaddrResolverOptions _options;
    private readonly ILogger _logger;

    public DnsaddrResolver(ITxtResolver txtResolver, DnsaddrResolverOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(txtResolver);
        _txtResolver = txtResolver;
        _options = options ?? new DnsaddrResolverOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxDepth, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxResults, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxLookups, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.Timeout, TimeSpan.Zero, nameof(options));
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The bounds this resolver applies.</summary>
    public DnsaddrResolverOptions Options => _options;

    /// <summary>Whether the address starts with <c>/dnsaddr</c>.</summary>
    public static bool IsDnsaddr(Multiaddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.Components.Count > 0 && address.Components[0].Protocol == MultiaddrProtocols.Dnsaddr;
    }

    /// <summary>
    /// The addresses a <c>/dnsaddr</c> address resolves to (none of them <c>/dnsaddr</c>, each ending with the
    /// original suffix), or the address itself when it is not one. Empty when nothing resolves.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IReadOnlyList<Multiaddress>> ResolveAsync(Multiaddress address, CancellationToken cancellationToken)
    {
        if (!IsDnsaddr(address))
        {
            return [address];
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        var cache = new DnsaddrLookupCache(_txtResolver, _options.MaxLookups);
        var results = new DnsaddrResults(_options.MaxResults);
        await ExpandWithinDeadlineAsync(address, cache, results, deadline.Token, cancellationToken).ConfigureAwait(false);
        return [.. results.Addresses];
    }

    /// <summary>
    /// Resolves every <c>/dnsaddr</c> address (each to at most <see cref="DnsaddrResolverOptions.MaxResults"/>) and
    /// passes the others through, in order. One deadline and one lookup budget cover the whole call; once the deadline
    /// passes, <c>/dnsaddr</c> addresses yield what was found so far and the others still pass through.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IReadOnlyList<Multiaddress>> ResolveAllAsync(IEnumerable<Multiaddress> addresses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        var cache = new DnsaddrLookupCache(_txtResolver, _options.MaxLookups);
        var resolved = new List<Multiaddress>();
        foreach (var address in addresses)
        {
            ArgumentNullException.ThrowIfNull(address, nameof(addresses));
            if (!IsDnsaddr(address))
            {
                resolved.Add(address);
                continue;
            }
            var results = new DnsaddrResults(_options.MaxResults);
            await ExpandWithinDeadlineAsync(address, cache, results, deadline.Token, cancellationToken).ConfigureAwait(false);
            resolved.AddRange(results.Addresses);
        }
        return resolved;
    }

    /// <summary>Expands into <paramref name="results"/>; when the deadline (not the caller) stops it, keeps what was found.</summary>
    private async Task ExpandWithinDeadlineAsync(
        Multiaddress address, DnsaddrLookupCache cache, DnsaddrResults results, CancellationToken deadline, CancellationToken caller)
    {
        try
        {
            await ExpandAsync(address, depth: 1, cache, results, deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            DnsLog.ResolutionTimedOut(_logger, _options.Timeout, results.Addresses.Count);
        }
    }

    private async Task ExpandAsync(Multiaddress address, int depth, DnsaddrLookupCache cache, DnsaddrResults results, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (depth > _options.MaxDepth)
        {
            DnsLog.ResolutionStopped(_logger, address.ToString(), $"nested deeper than {_options.MaxDepth} lookups");
            return;
        }
        var name = RecordNamePrefix + address.Components[0].ValueText;
        var records = await cache.GetAsync(name, reason => DnsLog.LookupFailed(_logger, name, reason), cancellationToken)
            .ConfigureAwait(false);
        if (records is null)
        {
            DnsLog.ResolutionStopped(_logger, address.ToString(), $"more than {_options.MaxLookups} names to look up");
            return;
        }
        var suffixLength = address.Components.Count - 1;
        foreach (var record in records)
        {
            if (results.IsFull)
            {
                return;
            }
            if (!record.StartsWith(EntryPrefix, StringComparison.Ordinal))
            {
                continue;
            }
            if (!Multiaddress.TryParse(record[EntryPrefix.Length..], out var entry) || entry is null)
            {
                DnsLog.EntrySkipped(_logger, name, "not a multiaddr");
                continue;
            }
            if (!HasSuffix(entry, address, suffixLength))
            {
                continue;
            }
            if (IsDnsaddr(entry))
            {
                await ExpandAsync(entry, depth + 1, cache, results, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                results.Add(entry);
            }
        }
    }

    /// <summary>Whether <paramref name="entry"/> is longer than, and ends with, the last <paramref name="suffixLength"/> components of <paramref name="requested"/>.</summary>
    private static bool HasSuffix(Multiaddress entry, Multiaddress requested, int suffixLength)
    {
        var entryComponents = entry.Components;
        var requestedComponents = requested.Components;
        if (entryComponents.Count <= suffixLength)
        {
            return false;
        }
        for (var i = 1; i <= suffixLength; i++)
        {
            if (!entryComponents[^i].Equals(requestedComponents[^i]))
            {
                return false;
            }
        }
        return true;
    }
}
