using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Kademlia.Tests.TestSupport;

/// <summary>
/// A started host on 127.0.0.1 with a routing table, in-memory stores, a kad server (server mode) and client; private
/// addresses are allowed unless the options say otherwise.
/// </summary>
internal sealed class KadTestNode : IAsyncDisposable
{
    private KadTestNode(Libp2pHost host, KadOptions options)
    {
        Host = host;
        Options = options;
        Table = new RoutingTable(host.PeerId, options.BucketSize, options.ReplacementCacheSize, options.TimeProvider);
        Server = new KadServer(host, Table, Records, Providers, new TestValidator(), options);
        Client = new KadClient(host, options);
    }

    public Libp2pHost Host { get; }

    public KadOptions Options { get; }

    public RoutingTable Table { get; }

    public InMemoryRecordStore Records { get; } = new();

    public InMemoryProviderStore Providers { get; } = new();

    public KadServer Server { get; }

    public KadClient Client { get; }

    public PeerId PeerId => Host.PeerId;

    public Multiaddress DialAddress => Host.ListenAddresses[0].WithPeerId(Host.PeerId);

    public static async Task<KadTestNode> StartAsync(KadOptions? options = null, PrivateKey? identity = null)
    {
        options ??= new KadOptions { Mode = KadMode.Server };
        // Everything here runs on 127.0.0.1: private addresses are allowed unless a test says otherwise.
        options = options.AllowPrivateAddresses is null ? options with { AllowPrivateAddresses = true } : options;
        var builder = new Libp2pHostBuilder().ListenOn("/ip4/127.0.0.1/tcp/0");
        if (identity is not null)
        {
            builder.WithIdentity(identity);
        }
        var host = builder.Build();
        await host.StartAsync();
        var node = new KadTestNode(host, options);
        node.Server.Start();
        return node;
    }

    /// <summary>Dials <paramref name="other"/> and waits until each side has identified the other.</summary>
    public async Task ConnectAsync(KadTestNode other)
    {
        var identifiedByOther = WhenIdentified(other.Host, PeerId);
        await Host.DialAsync(other.DialAddress, Timeouts.Token());
        await Host.Identify.WaitForPeerAsync(other.PeerId, Timeouts.Token());
        await identifiedByOther.WaitAsync(Timeouts.Test);
    }

    /// <summary>Completes when <paramref name="host"/> next identifies <paramref name="peer"/>, with what it learnt.</summary>
    public static Task<PeerInfo> WhenIdentified(Libp2pHost host, PeerId peer, Func<PeerInfo, bool>? condition = null)
    {
        var seen = new TaskCompletionSource<PeerInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Identify.PeerIdentified += (_, info) =>
        {
            if (info.PeerId == peer && (condition?.Invoke(info) ?? true))
            {
                seen.TrySetResult(info);
            }
        };
        return seen.Task;
    }

    /// <summary>Adds <paramref name="others"/> to this node's table and peer store, as if it had met them.</summary>
    public void Know(params KadTestNode[] others)
    {
        foreach (var other in others)
        {
            Host.Peers.AddAddresses(other.PeerId, other.Host.ListenAddresses);
            Table.TryAdd(other.PeerId);
        }
    }

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
