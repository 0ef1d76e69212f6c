using Dione.Kademlia.Records;
using Dione.Kademlia.Tests.TestSupport;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.TestSupport.Interop;

namespace Dione.Kademlia.Tests.Interop;

/// <summary>
/// A Dione DHT server for the js interop tests: a host on 127.0.0.1 with a routing table kept by a
/// <see cref="RoutingTableManager"/>, a <see cref="KadServer"/> in server mode on /ipfs/kad/1.0.0 with kubo's
/// validators (pk, ipns) and in-memory stores, and a <see cref="KadClient"/>.
/// </summary>
internal sealed class DioneKadNode : IAsyncDisposable
{
    private DioneKadNode(Libp2pHost host, KadOptions options)
    {
        Host = host;
        Options = options;
        Table = new RoutingTable(host.PeerId, options.BucketSize, options.ReplacementCacheSize, options.TimeProvider);
        Client = new KadClient(host, options);
        Manager = new RoutingTableManager(host, Table, Client, options);
        Server = new KadServer(host, Table, Records, Providers, Validator, options);
    }

    public Libp2pHost Host { get; }

    public KadOptions Options { get; }

    public RoutingTable Table { get; }

    public InMemoryRecordStore Records { get; } = new();

    public InMemoryProviderStore Providers { get; } = new();

    public NamespacedValidator Validator { get; } = NamespacedValidator.CreateDefault();

    public KadServer Server { get; }

    public KadClient Client { get; }

    public RoutingTableManager Manager { get; }

    public PeerId PeerId => Host.PeerId;

    /// <summary>The first listen address with /p2p/, as js dials it.</summary>
    public string Address => Host.ListenAddresses[0].WithPeerId(Host.PeerId).ToString();

    public static async Task<DioneKadNode> StartAsync()
    {
        var options = new KadOptions { Mode = KadMode.Server, AllowPrivateAddresses = true }; // js peers are on 127.0.0.1
        var host = new Libp2pHostBuilder().ListenOn("/ip4/127.0.0.1/tcp/0").Build();
        await host.StartAsync();
        var node = new DioneKadNode(host, options);
        node.Server.Start();
        node.Manager.Start();
        return node;
    }

    /// <summary>Completes when <paramref name="peer"/> is in this node's routing table (now or once the manager adds it).</summary>
    public async Task WaitForTableAsync(string peer, TimeSpan timeout)
    {
        var id = Libp2p.Identity.PeerId.Parse(peer);
        var added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnAdded(object? sender, PeerId p)
        {
            if (p == id)
            {
                added.TrySetResult();
            }
        }

        Manager.PeerAdded += OnAdded;
        try
        {
            if (!Table.Contains(id))
            {
                await added.Task.WaitAsync(timeout);
            }
        }
        finally
        {
            Manager.PeerAdded -= OnAdded;
        }
    }

    /// <summary>Dials <paramref name="js"/> and waits until the routing table holds it (identify showed the kad protocol).</summary>
    public async Task ConnectAsync(JsDhtPeer js, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        await Host.DialAsync(Multiaddress.Parse(js.Address), cancellation.Token);
        await WaitForTableAsync(js.PeerId, timeout);
    }

    public async ValueTask DisposeAsync()
    {
        await Manager.DisposeAsync();
        Server.Stop();
        await Host.DisposeAsync();
    }
}
