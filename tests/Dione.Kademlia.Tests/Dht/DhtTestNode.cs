using Dione.Kademlia.Dht;
using Dione.Kademlia.Tests.TestSupport;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Kademlia.Tests.Dht;

/// <summary>
/// A started host on 127.0.0.1 with a started <see cref="KademliaDht"/> (private addresses allowed unless the options
/// say otherwise); disposes both.
/// </summary>
internal sealed class DhtTestNode : IAsyncDisposable
{
    private DhtTestNode(Libp2pHost host, KademliaDht dht, PrivateKey identity)
    {
        Host = host;
        Dht = dht;
        Identity = identity;
    }

    public Libp2pHost Host { get; }

    public KademliaDht Dht { get; }

    public PrivateKey Identity { get; }

    public PeerId PeerId => Host.PeerId;

    public Multiaddress DialAddress => Host.ListenAddresses[0].WithPeerId(Host.PeerId);

    public static async Task<DhtTestNode> StartAsync(KademliaDhtOptions? options = null, PrivateKey? identity = null)
    {
        identity ??= PrivateKey.Generate();
        var host = new Libp2pHostBuilder().WithIdentity(identity).ListenOn("/ip4/127.0.0.1/tcp/0").Build();
        await host.StartAsync();
        options ??= new KademliaDhtOptions { Mode = DhtMode.Server };
        // Everything here runs on 127.0.0.1: private addresses are allowed unless a test says otherwise.
        if (options.Kad.AllowPrivateAddresses is null)
        {
            options = options with { Kad = options.Kad with { AllowPrivateAddresses = true } };
        }
        var dht = new KademliaDht(host, options);
        await dht.StartAsync();
        return new DhtTestNode(host, dht, identity);
    }

    /// <summary>Completes when <paramref name="peer"/> is in the routing table, now or once the manager adds it (after its admission check).</summary>
    public async Task WaitUntilInTableAsync(PeerId peer)
    {
        var added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnAdded(object? sender, PeerId p)
        {
            if (p == peer)
            {
                added.TrySetResult();
            }
        }

        Dht.RoutingTableManager.PeerAdded += OnAdded;
        try
        {
            if (!Dht.RoutingTable.Contains(peer))
            {
                await added.Task.WaitAsync(Timeouts.Test);
            }
        }
        finally
        {
            Dht.RoutingTableManager.PeerAdded -= OnAdded;
        }
    }

    /// <summary>Completes when the routing table holds at least <paramref name="count"/> peers, now or as the manager adds them.</summary>
    public async Task WaitUntilTableHoldsAsync(int count)
    {
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnAdded(object? sender, PeerId p)
        {
            if (Dht.RoutingTable.Count >= count)
            {
                enough.TrySetResult();
            }
        }

        Dht.RoutingTableManager.PeerAdded += OnAdded;
        try
        {
            if (Dht.RoutingTable.Count < count)
            {
                await enough.Task.WaitAsync(Timeouts.Test);
            }
        }
        finally
        {
            Dht.RoutingTableManager.PeerAdded -= OnAdded;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Dht.DisposeAsync();
        await Host.DisposeAsync();
    }
}
