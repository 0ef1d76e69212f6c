using Dione.Kademlia;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Benchmarks.Dht;

/// <summary>A real Dione DHT node on 127.0.0.1: a host with the stock settings and a <see cref="KademliaDht"/> on it.</summary>
internal sealed class TcpDhtNode : IDhtBenchNode, IAsyncDisposable
{
    private TcpDhtNode(Libp2pHost host, KademliaDht dht)
    {
        Host = host;
        Dht = dht;
    }

    public Libp2pHost Host { get; }

    public KademliaDht Dht { get; }

    public PeerId PeerId => Host.PeerId;

    public KadId Id => Dht.RoutingTable.LocalId;

    public RoutingTable Table => Dht.RoutingTable;

    public IKadRpc Rpc => Dht.Client;

    public Multiaddress DialAddress => BenchmarkHosts.DialAddress(Host);

    public static async Task<TcpDhtNode> StartAsync(KademliaDhtOptions options, CancellationToken cancellationToken)
    {
        var host = await BenchmarkHosts.StartListenerAsync("/ip4/127.0.0.1/tcp/0", cancellationToken).ConfigureAwait(false);
        var dht = new KademliaDht(host, options);
        try
        {
            await dht.StartAsync(cancellationToken).ConfigureAwait(false);
            return new TcpDhtNode(host, dht);
        }
        catch
        {
            await dht.DisposeAsync().ConfigureAwait(false);
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
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

    public async ValueTask DisposeAsync()
    {
        await Dht.DisposeAsync().ConfigureAwait(false);
        await Host.DisposeAsync().ConfigureAwait(false);
    }
}
