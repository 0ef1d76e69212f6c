using System.Collections.Concurrent;
using Dione.Libp2p.Transport.Dnsaddr;

namespace Dione.Libp2p.Tests.Transport.Dnsaddr;

/// <summary>An in-memory <see cref="ITxtResolver"/>: fixed records per name, failures per name, and optional hanging names.</summary>
internal sealed class FakeTxtResolver : ITxtResolver
{
    public const string Sjc = "QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN";
    public const string Ams = "QmbLHAnMoJPWSCR5Zhtx6BHJX9KiKNN6tpvbUcqanj75Nb";
    public const string Nrt = "QmcZf59bWwK5XFi76CZX8cbJ4BhTzzA3gU1ZjYZcYW3dwt";
    public const string Ewr = "QmQCU2EcMqAqQPR2i9bChDtGNJchTbq5TbXJJ16u19uLTa";
    public const string Va1 = "12D3KooWKnDdG3iXw9eTFijk3EWSunZcFi54Zka4wmtqtt6rPxc8";

    private readonly Dictionary<string, string[]> _records = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Exception> _failures = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _hanging = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentQueue<string> Queries { get; } = new();

    /// <summary>The records of multiformats/multiaddr protocols/DNSADDR.md, plus va1.</summary>
    public static FakeTxtResolver SpecExample() => new FakeTxtResolver()
        .Add("_dnsaddr.bootstrap.libp2p.io",
            $"dnsaddr=/dnsaddr/ams-2.bootstrap.libp2p.io/tcp/4001/p2p/{Ams}",
            $"dnsaddr=/dnsaddr/sjc-1.bootstrap.libp2p.io/tcp/4001/p2p/{Sjc}",
            $"dnsaddr=/dnsaddr/nrt-1.bootstrap.libp2p.io/tcp/4001/p2p/{Nrt}",
            $"dnsaddr=/dnsaddr/ewr-1.bootstrap.libp2p.io/tcp/4001/p2p/{Ewr}")
        .Add("_dnsaddr.sjc-1.bootstrap.libp2p.io",
            $"dnsaddr=/ip4/147.75.69.143/tcp/4001/p2p/{Sjc}",
            $"dnsaddr=/ip6/2604:1380:1000:6000::1/tcp/4001/p2p/{Sjc}")
        .Add("_dnsaddr.ams-2.bootstrap.libp2p.io",
            $"dnsaddr=/ip4/147.75.83.83/tcp/4001/p2p/{Ams}",
            $"dnsaddr=/ip6/2604:1380:2000:7a00::1/tcp/4001/p2p/{Ams}")
        .Add("_dnsaddr.nrt-1.bootstrap.libp2p.io", $"dnsaddr=/ip4/147.75.94.115/tcp/4001/p2p/{Nrt}")
        .Add("_dnsaddr.ewr-1.bootstrap.libp2p.io", $"dnsaddr=/ip4/147.75.77.187/tcp/4001/p2p/{Ewr}")
        .Add("_dnsaddr.va1.bootstrap.libp2p.io",
            $"dnsaddr=/ip4/3.3.3.3/tcp/4001/p2p/{Va1}",
            $"dnsaddr=/ip4/3.3.3.3/udp/4001/quic-v1/p2p/{Va1}");

    public FakeTxtResolver Add(string name, params string[] records)
    {
        _records[name] = records;
        return this;
    }

    public FakeTxtResolver Fail(string name, Exception exception)
    {
        _failures[name] = exception;
        return this;
    }

    /// <summary>Lookups of this name never answer; they end only when their token is cancelled.</summary>
    public FakeTxtResolver Hang(string name)
    {
        _hanging.Add(name);
        return this;
    }

    public async Task<IReadOnlyList<string>> ResolveTxtAsync(string name, CancellationToken cancellationToken)
    {
        Queries.Enqueue(name);
        if (_hanging.Contains(name))
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        if (_failures.TryGetValue(name, out var failure))
        {
            throw failure;
        }
        return _records.TryGetValue(name, out var records) ? records : [];
    }
}
