using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dione.Libp2p.Transport.Dnsaddr;

/// <summary>
/// TXT lookups through the DnsClient library: a recursive query over UDP to each name server in turn, repeated over
/// TCP when the answer is truncated. The answers' TXT records owned by the name, or by a name it is an alias of
/// through CNAMEs in the same answer, are returned; anything the library cannot parse, and every error answer other
/// than "no such name", fails the lookup with a <see cref="DnsResolutionException"/>.
/// </summary>
public sealed class DnsTxtResolver : ITxtResolver
{
    private const int MaxCnameHops = 8;

    private readonly LookupClient _client;
    private readonly ILogger _logger;

    public DnsTxtResolver(DnsTxtResolverOptions? options = null, ILogger? logger = null)
    {
        options ??= new DnsTxtResolverOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Attempts, 1, nameof(options));
        NameServers = options.NameServers.Count > 0 ? [.. options.NameServers] : SystemNameServers();
        _client = new LookupClient(new LookupClientOptions([.. NameServers])
        {
            Timeout = options.Timeout,
            Retries = options.Attempts - 1,
            UseCache = false, // the dnsaddr resolver reuses answers within a call; across calls, ask again
            UseRandomNameServer = false, // in the configured order, as the system resolver does
            UseTcpFallback = true,
            ContinueOnDnsError = true,
            ThrowDnsErrors = false,
            ExtendedDnsBufferSize = options.UdpPayloadSize,
        });
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The servers asked, in order.</summary>
    public IReadOnlyList<IPEndPoint> NameServers { get; }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> ResolveTxtAsync(string name, CancellationToken cancellationToken)
    {
        var canonicalName = CanonicalName(name);
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(canonicalName, QueryType.TXT, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // DnsClient reports the caller's cancellation as a failed query: give it back as what it is.
            cancellationToken.ThrowIfCancellationRequested();
            // Timeouts, refused connections, forged ids and answers DnsClient could not parse, whatever their type.
            DnsLog.QueryFailed(_logger, canonicalName, e.Message);
            throw new DnsResolutionException($"TXT lookup of '{canonicalName}' failed: {e.Message}", e);
        }
        if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
        {
            return [];
        }
        if (response.HasError)
        {
            DnsLog.QueryFailed(_logger, canonicalName, response.ErrorMessage);
            throw new DnsResolutionException($"TXT lookup of '{canonicalName}' failed on {NameServers.Count} name server(s): {response.ErrorMessage}");
        }
        return TextOf(response.Answers, canonicalName);
    }

    /// <summary>The TXT records owned by the name or by a name it is an alias of, following CNAMEs in the answer.</summary>
    private static string[] TextOf(IReadOnlyList<DnsResourceRecord> answers, string canonicalName)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { canonicalName };
        for (var hop = 0; hop < MaxCnameHops; hop++)
        {
            var added = false;
            foreach (var alias in answers.OfType<CNameRecord>().Where(r => names.Contains(Owner(r))))
            {
                added |= names.Add(alias.CanonicalName.Value.TrimEnd('.'));
            }
            if (!added)
            {
                break;
            }
        }
        // One string per record, its character-strings joined, as go's net.LookupTXT returns them.
        return [.. answers.OfType<TxtRecord>().Where(r => names.Contains(Owner(r))).Select(r => string.Concat(r.Text))];
    }

    private static string Owner(DnsResourceRecord record) => record.DomainName.Value.TrimEnd('.');

    /// <summary>The name without a trailing dot, lower-cased; refused unless it is a plain host name (letters, digits, '-', '_').</summary>
    private static string CanonicalName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.EndsWith('.') ? name[..^1] : name;
        // 253 characters is the longest name that fits the 255-byte wire form.
        if (trimmed.Length is 0 or > 253 || trimmed.Split('.').Any(label => label.Length is 0 or > 63 || !label.All(IsHostChar)))
        {
            throw new ArgumentException($"'{name}' is not a valid DNS name", nameof(name));
        }
        return trimmed.ToLowerInvariant();
    }

    private static bool IsHostChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    /// <summary>
    /// The system's name servers. When it has none, the local resolver (127.0.0.1 and ::1, port 53) is assumed, as
    /// glibc and go do, instead of DnsClient's fallback to public resolvers: no query goes where the system did not say.
    /// </summary>
    private static IPEndPoint[] SystemNameServers()
    {
        var servers = NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false);
        return servers.Count > 0
            ? [.. servers.Select(s => new IPEndPoint(IPAddress.Parse(s.Address), s.Port))]
            : [new IPEndPoint(IPAddress.Loopback, NameServer.DefaultPort), new IPEndPoint(IPAddress.IPv6Loopback, NameServer.DefaultPort)];
    }
}
