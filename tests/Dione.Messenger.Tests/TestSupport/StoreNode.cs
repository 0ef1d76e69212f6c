using Dione.Libp2p.Host;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Messenger.Store;

namespace Dione.Messenger.Tests.TestSupport;

/// <summary>A started host on 127.0.0.1 serving <c>/dione/1.0</c> from an in-memory envelope store.</summary>
internal sealed class StoreNode : IAsyncDisposable
{
    private StoreNode(Libp2pHost host, SqliteEnvelopeStore store, DioneStoreServer server)
    {
        Host = host;
        Store = store;
        Server = server;
        Client = new DioneStoreClient(host);
    }

    public Libp2pHost Host { get; }

    public SqliteEnvelopeStore Store { get; }

    public DioneStoreServer Server { get; }

    public DioneStoreClient Client { get; }

    public Multiaddress DialAddress => Host.ListenAddresses[0].WithPeerId(Host.PeerId);

    public static async Task<StoreNode> StartAsync(
        Func<ReadOnlyMemory<byte>, bool>? holds = null, PeerRateLimiter? rateLimiter = null, EnvelopeStoreOptions? options = null, EnvelopeArrivals? arrivals = null)
    {
        var host = new Libp2pHostBuilder().ListenOn("/ip4/127.0.0.1/tcp/0").Build();
        await host.StartAsync();
        var store = await SqliteEnvelopeStore.OpenAsync(":memory:", options);
        var server = new DioneStoreServer(host, store, holds ?? (_ => true), rateLimiter, arrivals);
        server.Start();
        return new StoreNode(host, store, server);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Store.DisposeAsync();
    }
}
