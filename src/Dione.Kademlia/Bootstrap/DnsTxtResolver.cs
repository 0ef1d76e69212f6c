using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dione.Kademlia.Bootstrap;

/// <summary>
/// A small stub resolver for TXT records: a recursive query over UDP to each configured name server in turn (random
/// 16-bit id, EDNS(0) payload size advertised), repeated over TCP when the answer is truncated, a timeout per query and
/// a number of rounds over all servers. Datagrams with another id or question are ignored as possible forgeries (at
/// most <see cref="DnsTxtResolverOptions.MaxIgnoredDatagrams"/>); answers are parsed strictly and never trusted for
/// lengths. TXT records of the name and of CNAME targets in the answer are returned.
/// </summary>
public sealed class DnsTxtResolver : ITxtResolver
{
    private const int MaxCnameHops = 8;

    private readonly DnsTxtResolverOptions _options;
    private readonly IPEndPoint[] _servers;
    private readonly ILogger _logger;

    public DnsTxtResolver(DnsTxtResolverOptions? options = null, ILogger? logger = null)
    {
        _options = options ?? new DnsTxtResolverOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.Timeout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.Attempts, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(_options.MaxIgnoredDatagrams, nameof(options));
        _servers = _options.NameServers.Count > 0
            ? [.. _options.NameServers]
            : [.. ResolvConf.ReadNameServers(_options.ResolvConfPath)];
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The servers asked, in order.</summary>
    public IReadOnlyList<IPEndPoint> NameServers => _servers;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> ResolveTxtAsync(string name, CancellationToken cancellationToken)
    {
        var encodedName = DnsName.Encode(name);
        var canonicalName = DnsName.Canonical(name);
        Exception? lastError = null;
        for (var attempt = 0; attempt < _options.Attempts; attempt++)
        {
            foreach (var server in _servers)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.Timeout);
                try
                {
                    var response = await QueryAsync(server, encodedName, canonicalName, timeout.Token).ConfigureAwait(false);
                    switch (response.ResponseCode)
                    {
                        case DnsResponse.NoError:
                            return ExtractText(response, canonicalName);
                        case DnsResponse.NameError:
                            return [];
                        default:
                            lastError = new DnsResolutionException($"{server} answered with response code {response.ResponseCode}");
                            break;
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    lastError = new TimeoutException($"{server} did not answer within {_options.Timeout}");
                }
                catch (Exception e) when (e is SocketException or IOException or FormatException or DnsResolutionException)
                {
                    lastError = e;
                }
                BootstrapLog.QueryFailed(_logger, canonicalName, server.ToString(), lastError.Message);
            }
        }
        throw new DnsResolutionException(
            $"TXT lookup of '{canonicalName}' failed on {_servers.Length} name server(s): {lastError?.Message}", lastError);
    }

    private async Task<DnsResponse> QueryAsync(IPEndPoint server, byte[] encodedName, string canonicalName, CancellationToken cancellationToken)
    {
        var response = await QueryUdpAsync(server, encodedName, canonicalName, cancellationToken).ConfigureAwait(false);
        if (!response.IsTruncated)
        {
            return response;
        }
        BootstrapLog.Truncated(_logger, canonicalName, server.ToString());
        return await QueryTcpAsync(server, encodedName, canonicalName, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DnsResponse> QueryUdpAsync(IPEndPoint server, byte[] encodedName, string canonicalName, CancellationToken cancellationToken)
    {
        var id = NewId();
        var query = DnsQuery.Build(id, encodedName, DnsRecordType.Txt, _options.UdpPayloadSize);
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        // A connected UDP socket only receives datagrams from the server's address and port.
        await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(query, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[DnsResponseParser.MaxMessageLength];
        var ignored = 0;
        while (true)
        {
            var length = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            var datagram = buffer.AsSpan(0, length);
            if (length >= 2 && BinaryPrimitives.ReadUInt16BigEndian(datagram) == id)
            {
                // Our id: garbage here is the server's (or a lucky forger's) and fails this query.
                var response = DnsResponseParser.Parse(datagram);
                if (IsAnswerTo(response, id, canonicalName))
                {
                    return response;
                }
            }
            BootstrapLog.StrayDatagram(_logger, server.ToString(), canonicalName);
            if (++ignored > _options.MaxIgnoredDatagrams)
            {
                throw new DnsResolutionException($"{server} sent {ignored} datagrams that do not answer the query");
            }
        }
    }

    private static async Task<DnsResponse> QueryTcpAsync(IPEndPoint server, byte[] encodedName, string canonicalName, CancellationToken cancellationToken)
    {
        var id = NewId();
        // Over TCP the whole answer fits the 2-byte length prefix; no EDNS payload size is needed.
        var query = DnsQuery.Build(id, encodedName, DnsRecordType.Txt, udpPayloadSize: 0);
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var framed = new byte[2 + query.Length];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        await stream.WriteAsync(framed, cancellationToken).ConfigureAwait(false);
        var prefix = new byte[2];
        await stream.ReadExactlyAsync(prefix, cancellationToken).ConfigureAwait(false);
        var length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
        if (length < DnsQuery.HeaderLength)
        {
            throw new FormatException("TCP DNS answer shorter than a header");
        }
        var message = new byte[length];
        await stream.ReadExactlyAsync(message, cancellationToken).ConfigureAwait(false);
        var response = DnsResponseParser.Parse(message);
        if (!IsAnswerTo(response, id, canonicalName))
        {
            throw new FormatException("TCP DNS answer does not match the query");
        }
        return response;
    }

    /// <summary>The id and the question must be echoed; only an error answer may leave the question out.</summary>
    private static bool IsAnswerTo(DnsResponse response, ushort id, string canonicalName)
    {
        if (response.Id != id || response.Opcode != 0)
        {
            return false;
        }
        if (response.Questions.Count == 0)
        {
            return response.ResponseCode != DnsResponse.NoError;
        }
        return response.Questions.Count == 1
            && response.Questions[0].Name == canonicalName
            && response.Questions[0].Type == DnsRecordType.Txt
            && response.Questions[0].Class == DnsRecordType.ClassIn;
    }

    /// <summary>The TXT records owned by the name or by a name it is an alias of, following CNAMEs in the answer.</summary>
    internal static IReadOnlyList<string> ExtractText(DnsResponse response, string canonicalName)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { canonicalName };
        for (var hop = 0; hop < MaxCnameHops; hop++)
        {
            var added = false;
            foreach (var record in response.Answers)
            {
                if (record is { Type: DnsRecordType.Cname, Class: DnsRecordType.ClassIn, Target: { } target } && names.Contains(record.Name))
                {
                    added |= names.Add(target);
                }
            }
            if (!added)
            {
                break;
            }
        }
        return response.Answers
            .Where(r => r is { Type: DnsRecordType.Txt, Class: DnsRecordType.ClassIn, Text: not null } && names.Contains(r.Name))
            .Select(r => r.Text!)
            .ToArray();
    }

    private static ushort NewId() => (ushort)RandomNumberGenerator.GetInt32(0, 65536);
}
