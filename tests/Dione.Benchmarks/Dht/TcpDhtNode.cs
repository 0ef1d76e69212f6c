using Dione.Kademlia;
using Dione.Kademlia.Dht;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Messenger.Node;

namespace Dione.Benchmarks.Dht;

/// <summary>A real Dione DHT node on 127.0.0.1: a <see cref="DioneNode"/> with the stock host settings running only the <see cref="KademliaDht"/>.</summary>
internal sealed class TcpDhtNode : IDhtBenchNode, IAsyncDisposable
{
    private readonly DioneNode _node;

    private TcpDhtNode(DioneNode node) => _node = node;

    public Libp2pHost Host => _node.Host;

    public KademliaDht Dht => _node.Dht;

    public PeerId PeerId => Host.PeerId;

    public KadId Id => Dht.RoutingTable.LocalId;

    public RoutingTable Table => Dht.RoutingTable;

    public IKadRpc Rpc => Dht.Client;

    public Multiaddress DialAddress => BenchmarkHosts.DialAddress(Host);

    public static async Task<TcpDhtNode> StartAsync(KademliaDhtOptions options, CancellationToken cancellationToken)
    {
        var settings = BenchmarkHosts.HostOnly("/ip4/127.0.0.1/tcp/0") with { RunDht = true, Dht = options };
        return new TcpDhtNode(await BenchmarkHosts.StartAsync(settings, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Bootstraps from <paramref name="via"/> alone (connect, identify, self-lookup), then refreshes every bucket.</summary>
    public async Task JoinAsync(TcpDhtNode via, CancellationToken cancellationToken)
    {
        if (await Dht.BootstrapAsync([via.DialAddress], cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new IOException($"could not bootstrap from {via.DialAddress}");
        }
        await Dht.RefreshBucketsAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _node.DisposeAsync();
}
