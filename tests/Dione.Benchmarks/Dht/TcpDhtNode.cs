using Dione.Kademlia;
using Dione.Kademlia.Records;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Benchmarks.Dht;

/// <summary>
/// A real DHT server on 127.0.0.1: a host with the stock settings, a <see cref="KadServer"/> in server mode, a
/// <see cref="RoutingTableManager"/> that adds peers identify shows to be DHT servers, and a <see cref="KadClient"/>.
/// </summary>
internal sealed class TcpDhtNode : IDhtBenchNode, IAsyncDisposable
{
    private readonly KadServer _server;
    private readonly RoutingTableManager _manager;

    private TcpDhtNode(Libp2pHost host, KadOptions options)
    {
        Host = host;
        Table = new RoutingTable(host.PeerId, options.BucketSize, options.ReplacementCacheSize, options.TimeProvider);
        _server = new KadServer(host, Table, new EmptyRecordStore(), new EmptyProviderStore(), NamespacedValidator.CreateDefault(), options);
        Client = new KadClient(host, options);
        _manager = new RoutingTableManager(host, Table, Client, options);
    }

    public Libp2pHost Host { get; }

    public PeerId PeerId => Host.PeerId;

    public KadId Id => Table.LocalId;

    public RoutingTable Table { get; }

    public KadClient Client { get; }

    public IKadRpc Rpc => Client;

    public Multiaddress DialAddress => BenchmarkHosts.DialAddress(Host);

    public static async Task<TcpDhtNode> StartAsync(KadOptions options, CancellationToken cancellationToken)
    {
        var host = await BenchmarkHosts.StartListenerAsync("/ip4/127.0.0.1/tcp/0", cancellationToken).ConfigureAwait(false);
        var node = new TcpDhtNode(host, options);
        node._server.Start();
        node._manager.Start();
        return node;
    }

    /// <summary>Connects to <paramref name="other"/> and, once identify has run, offers it to the routing table.</summary>
    public async Task ConnectAsync(TcpDhtNode other, CancellationToken cancellationToken)
    {
        await Host.DialAsync(other.DialAddress, cancellationToken).ConfigureAwait(false);
        var info = await Host.Identify.WaitForPeerAsync(other.PeerId, cancellationToken).ConfigureAwait(false);
        _manager.Consider(info);
    }

    public async ValueTask DisposeAsync()
    {
        _server.Stop();
        await _manager.DisposeAsync().ConfigureAwait(false);
        await Host.DisposeAsync().ConfigureAwait(false);
    }
}
