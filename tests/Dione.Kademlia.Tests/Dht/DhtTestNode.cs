using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Kademlia.Tests.Dht;

/// <summary>A started host on 127.0.0.1 with a started <see cref="KademliaDht"/>; disposes both.</summary>
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
        var dht = new KademliaDht(host, options ?? new KademliaDhtOptions { Mode = DhtMode.Server });
        await dht.StartAsync();
        return new DhtTestNode(host, dht, identity);
    }

    public async ValueTask DisposeAsync()
    {
        await Dht.DisposeAsync();
        await Host.DisposeAsync();
    }
}
