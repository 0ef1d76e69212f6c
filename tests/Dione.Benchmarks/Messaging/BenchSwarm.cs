using Dione.Kademlia;
using Dione.Libp2p.Host;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Overlay;

namespace Dione.Benchmarks.Messaging;

/// <summary>
/// Dione nodes in this process on 127.0.0.1 (real TCP, Noise, Yamux), envelope databases as files in one folder. They
/// join the overlay through the first node; then each runs a self-lookup and a lookup in each bucket, so the early joiners learn the later ones.
/// </summary>
internal sealed class BenchSwarm : IAsyncDisposable
{
    private readonly string _directory;
    private readonly MailboxServiceOptions _options;
    private readonly List<BenchNode> _nodes = [];
    private int _started;

    private BenchSwarm(string directory, int replication, int bucketSize)
    {
        _directory = directory;
        var dht = new KademliaDhtOptions();
        _options = new MailboxServiceOptions
        {
            Overlay = new DioneOverlayOptions { Replication = replication },
            OverlayDht = bucketSize == KademliaDefaults.K ? dht : dht with { Kad = dht.Kad with { BucketSize = bucketSize } },
        };
    }

    public IReadOnlyList<BenchNode> Nodes => _nodes;

    /// <param name="bucketSize">k of the overlay's routing tables (the default unless measuring its effect).</param>
    public static async Task<BenchSwarm> StartAsync(int count, int replication, int bucketSize, string directory, CancellationToken cancellationToken)
    {
        var swarm = new BenchSwarm(directory, replication, bucketSize);
        for (var i = 0; i < count; i++)
        {
            swarm._nodes.Add(await swarm.StartNodeAsync(cancellationToken).ConfigureAwait(false));
        }
        var entry = swarm.EntryAddress;
        foreach (var node in swarm._nodes.Skip(1))
        {
            await node.Mailbox.Overlay.BootstrapAsync([entry], cancellationToken).ConfigureAwait(false);
        }
        await Task.WhenAll(swarm._nodes.Select(n => SelfLookupAsync(n, cancellationToken))).ConfigureAwait(false);
        return swarm;
    }

    /// <summary>Starts a node, joins it through the first node and runs its self-lookup and bucket lookups.</summary>
    public async Task<BenchNode> AddNodeAsync(CancellationToken cancellationToken)
    {
        var node = await StartNodeAsync(cancellationToken).ConfigureAwait(false);
        _nodes.Add(node);
        await node.Mailbox.Overlay.BootstrapAsync([EntryAddress], cancellationToken).ConfigureAwait(false);
        await SelfLookupAsync(node, cancellationToken).ConfigureAwait(false);
        return node;
    }

    public async Task StopNodeAsync(BenchNode node)
    {
        _nodes.Remove(node);
        await node.DisposeAsync().ConfigureAwait(false);
    }

    public double MeanTableSize => _nodes.Average(n => n.Mailbox.Overlay.Dht.RoutingTable.Count);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
        _nodes.Clear();
    }

    private Dione.Libp2p.Multiformats.Multiaddr.Multiaddress EntryAddress => _nodes[0].Host.ListenAddresses[0].WithPeerId(_nodes[0].Host.PeerId);

    private async Task<BenchNode> StartNodeAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(_directory, $"node{++_started}.db");
        var host = new Libp2pHostBuilder().ListenOn("/ip4/127.0.0.1/tcp/0").Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        var mailbox = await MailboxService.StartAsync(host, publicDht: null, _options with { DatabasePath = path }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new BenchNode(host, mailbox, path);
    }

    private static async Task SelfLookupAsync(BenchNode node, CancellationToken cancellationToken)
    {
        if (node.Mailbox.Overlay.Dht.RoutingTable.Count > 0)
        {
            await node.Mailbox.Overlay.Dht.GetClosestPeersAsync(node.Host.PeerId.ToBytes(), cancellationToken: cancellationToken).ConfigureAwait(false);
            // A lookup in every bucket, as the DHT's own refresh does a minute after start: the node's table then holds
            // the peers closest to any address, which is where its polls look for envelopes.
            await node.Mailbox.Overlay.Dht.RefreshBucketsAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
