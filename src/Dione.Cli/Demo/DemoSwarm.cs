using Dione.Libp2p.Host;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Overlay;
using Microsoft.Extensions.Logging;

namespace Dione.Cli.Demo;

/// <summary>
/// A swarm of Dione nodes in this process, all on 127.0.0.1 with ports the system picks, each with its envelope
/// database in <see cref="Directory"/>. Every node joins the overlay through the first one; once all are up, each runs
/// a self-lookup and a lookup in each bucket, so the early joiners learn the later ones.
/// </summary>
internal sealed class DemoSwarm : IAsyncDisposable
{
    private readonly List<DemoNode> _nodes = [];
    private readonly ILoggerFactory _loggerFactory;
    private int _started;

    private DemoSwarm(string directory, int replication, ILoggerFactory loggerFactory)
    {
        Directory = directory;
        Replication = replication;
        _loggerFactory = loggerFactory;
    }

    /// <summary>Where the nodes keep their databases.</summary>
    public string Directory { get; }

    /// <summary>r: how many holders store each envelope.</summary>
    public int Replication { get; }

    /// <summary>The running nodes.</summary>
    public IReadOnlyList<DemoNode> Nodes => _nodes;

    public static async Task<DemoSwarm> StartAsync(int count, int replication, string directory, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var swarm = new DemoSwarm(directory, replication, loggerFactory);
        try
        {
            for (var i = 0; i < count; i++)
            {
                swarm._nodes.Add(await swarm.StartNodeAsync(cancellationToken).ConfigureAwait(false));
            }
            var entry = swarm._nodes[0].Address;
            foreach (var node in swarm._nodes.Skip(1))
            {
                await node.Mailbox.Overlay.BootstrapAsync([entry], cancellationToken).ConfigureAwait(false);
            }
            await Task.WhenAll(swarm._nodes.Select(n => SelfLookupAsync(n, cancellationToken))).ConfigureAwait(false);
            return swarm;
        }
        catch
        {
            await swarm.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts one more node and joins it to the overlay through the first running node, then its self-lookup and bucket lookups.</summary>
    public async Task<DemoNode> AddNodeAsync(CancellationToken cancellationToken)
    {
        var entry = _nodes[0].Address;
        var node = await StartNodeAsync(cancellationToken).ConfigureAwait(false);
        _nodes.Add(node);
        await node.Mailbox.Overlay.BootstrapAsync([entry], cancellationToken).ConfigureAwait(false);
        await SelfLookupAsync(node, cancellationToken).ConfigureAwait(false);
        return node;
    }

    /// <summary>Stops a node (its mailbox and host) and takes it out of the swarm.</summary>
    public async Task StopNodeAsync(DemoNode node)
    {
        _nodes.Remove(node);
        await node.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The mean number of overlay peers in the running nodes' routing tables.</summary>
    public double MeanTableSize => _nodes.Average(n => n.Mailbox.Overlay.Dht.RoutingTable.Count);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
        _nodes.Clear();
    }

    private async Task<DemoNode> StartNodeAsync(CancellationToken cancellationToken)
    {
        var number = ++_started;
        var host = new Libp2pHostBuilder().ListenOn("/ip4/127.0.0.1/tcp/0").WithLoggerFactory(_loggerFactory).Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            var options = new MailboxServiceOptions
            {
                DatabasePath = Path.Combine(Directory, $"node{number}.db"),
                Overlay = new DioneOverlayOptions { Replication = Replication },
            };
            var mailbox = await MailboxService.StartAsync(host, publicDht: null, options, _loggerFactory.CreateLogger("dione.demo"), cancellationToken).ConfigureAwait(false);
            return new DemoNode(number, host, mailbox);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task SelfLookupAsync(DemoNode node, CancellationToken cancellationToken)
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
