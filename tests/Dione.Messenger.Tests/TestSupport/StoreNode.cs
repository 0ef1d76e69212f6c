using Dione.Libp2p.Host;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Messenger.Node;
using Dione.Messenger.Store;

namespace Dione.Messenger.Tests.TestSupport;

/// <summary>A started host on 127.0.0.1 serving <c>/dione/1.0</c> from an in-memory envelope store.</summary>
internal sealed class StoreNode : IAsyncDisposable
{
    private readonly DioneNode _node;

    private StoreNode(DioneNode node, SqliteEnvelopeStore store, DioneStoreServer server)
    {
        _node = node;
        Host = node.Host;
        Store = store;
        Server = server;
        Client = new DioneStoreClient(node.Host);
    }

    public Libp2pHost Host { get; }

    public SqliteEnvelopeStore Store { get; }

    public DioneStoreServer Server { get; }

    public DioneStoreClient Client { get; }

    public Multiaddress DialAddress => Host.ListenAddresses[0].WithPeerId(Host.PeerId);

    public static async Task<StoreNode> StartAsync(
        Func<ReadOnlyMemory<byte>, bool>? holds = null, PeerRateLimiter? rateLimiter = null, EnvelopeStoreOptions? options = null, EnvelopeArrivals? arrivals = null,
        IStoreObserver? observer = null)
    {
        // A host alone (no DHT, no mailbox): the test puts the store server on it with its own policy and limits.
        var node = new DioneNode(new DioneNodeOptions
        {
            ListenAddresses = [Multiaddress.Parse("/ip4/127.0.0.1/tcp/0")],
            RunDht = false,
            RunMailbox = false,
            RunMessenger = false,
        });
        await node.StartAsync();
        var store = await SqliteEnvelopeStore.OpenAsync(":memory:", options);
        var server = new DioneStoreServer(node.Host, store, holds ?? (_ => true), rateLimiter, arrivals, observer: observer);
        server.Start();
        return new StoreNode(node, store, server);
    }

    public async ValueTask DisposeAsync()
    {
        await _node.DisposeAsync();
        await Store.DisposeAsync();
    }
}
