using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Messenger.Node;

/// <summary>
/// Dione nodes in this process on 127.0.0.1 (ports the system picks), each a <see cref="DioneNode"/> built from one
/// template, with no public DHT: every node joins the overlay through the first one, then runs a self-lookup and a
/// lookup in each bucket, so the early joiners learn the later ones. Nodes can be added (a person's node with a
/// messenger over a database file), stopped, and restarted from their database file on a new host.
/// </summary>
public sealed class LocalSwarm : IAsyncDisposable
{
    private static readonly Multiaddress Loopback = Multiaddress.Parse("/ip4/127.0.0.1/tcp/0");
    private readonly List<DioneNode> _nodes = [];
    private readonly DioneNodeOptions _template;
    private readonly string? _directory;
    private int _started;

    private LocalSwarm(DioneNodeOptions template, string? directory)
    {
        _template = template with { ListenAddresses = [Loopback], RunDht = false };
        _directory = directory;
    }

    /// <summary>The running nodes, in the order they were started.</summary>
    public IReadOnlyList<DioneNode> Nodes => _nodes;

    /// <summary>How many nodes were started so far, stopped ones included: the last node's number.</summary>
    public int Started => _started;

    /// <summary>The mean number of overlay peers in the running nodes' routing tables.</summary>
    public double MeanTableSize => _nodes.Average(n => n.Overlay.Dht.RoutingTable.Count);

    /// <summary>A person's node settings: a messenger over <paramref name="databasePath"/> (mailbox and messenger tables in that one file).</summary>
    public static Func<DioneNodeOptions, DioneNodeOptions> Person(string databasePath, bool runLoop = false) =>
        options => options with { DatabasePath = databasePath, RunMessenger = true, RunMessengerLoop = runLoop };

    /// <summary>Starts <paramref name="count"/> nodes from <paramref name="template"/> (listen addresses and public DHT are the swarm's) and joins them.</summary>
    /// <param name="template">Settings of every node; by default a mailbox node without messenger.</param>
    /// <param name="directory">Where each node's database goes (<c>node{n}.db</c>), or null to keep them in memory.</param>
    public static async Task<LocalSwarm> StartAsync(int count, DioneNodeOptions? template = null, string? directory = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var swarm = new LocalSwarm(template ?? new DioneNodeOptions { RunMessenger = false }, directory);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var node = new DioneNode(swarm.NodeOptions(i == 0 ? [] : [swarm._nodes[0].DialAddress], configure: null));
                swarm._nodes.Add(node);
                await node.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            foreach (var node in swarm._nodes.Skip(1))
            {
                await node.JoinAsync(cancellationToken).ConfigureAwait(false);
            }
            await Task.WhenAll(swarm._nodes.Select(n => LookAroundAsync(n, cancellationToken))).ConfigureAwait(false);
            foreach (var node in swarm._nodes)
            {
                node.StartMessengerLoop();
            }
            return swarm;
        }
        catch
        {
            await swarm.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts one more node from the template (changed by <paramref name="configure"/>), joins it through the first
    /// running node, runs its self-lookup and bucket lookups, then starts its messenger's loop when it has one.
    /// </summary>
    /// <param name="configure">Changes the template's settings for this node (listen addresses and bootstrap peers stay the swarm's).</param>
    /// <param name="started">Called once the node's parts run, before it joins and its messenger's loop starts: the
    /// moment to subscribe to the messenger's events without missing any.</param>
    /// <param name="cancellationToken">Cancels the start and the join.</param>
    public async Task<DioneNode> AddNodeAsync(
        Func<DioneNodeOptions, DioneNodeOptions>? configure = null, Action<DioneNode>? started = null, CancellationToken cancellationToken = default)
    {
        var node = new DioneNode(NodeOptions([_nodes[0].DialAddress], configure));
        _nodes.Add(node);
        await node.StartAsync(cancellationToken).ConfigureAwait(false);
        started?.Invoke(node);
        await node.JoinAsync(cancellationToken).ConfigureAwait(false);
        await LookAroundAsync(node, cancellationToken).ConfigureAwait(false);
        node.StartMessengerLoop();
        return node;
    }

    /// <summary>Stops a node (messenger, mailbox, host) and takes it out of the swarm; its database file stays.</summary>
    public async Task StopNodeAsync(DioneNode node)
    {
        _nodes.Remove(node);
        await node.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a new node (a new host, so a new peer id and port) with the settings of <paramref name="stopped"/>, its
    /// database reopened from the same file, and joins it as <see cref="AddNodeAsync"/> does.
    /// </summary>
    /// <exception cref="InvalidOperationException">the node is still running, or kept its database in memory.</exception>
    public Task<DioneNode> RestartNodeAsync(DioneNode stopped, Action<DioneNode>? started = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stopped);
        if (_nodes.Contains(stopped))
        {
            throw new InvalidOperationException("stop the node before restarting it");
        }
        if (stopped.Options.DatabasePath == ":memory:")
        {
            throw new InvalidOperationException("a node whose database is in memory cannot be restarted from it");
        }
        return AddNodeAsync(_ => stopped.Options with { Identity = null }, started, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
        _nodes.Clear();
    }

    private DioneNodeOptions NodeOptions(IReadOnlyList<Multiaddress> bootstrap, Func<DioneNodeOptions, DioneNodeOptions>? configure)
    {
        var number = ++_started;
        var options = _template with { DatabasePath = _directory is null ? ":memory:" : Path.Combine(_directory, $"node{number}.db") };
        options = configure?.Invoke(options) ?? options;
        // Whatever the caller changed, a swarm node listens on 127.0.0.1, joins through the first node and runs no public DHT.
        // Every node stores from the same IP address here, so the per-IP ceiling is raised to the node's own limits.
        var store = options.Mailbox.Store;
        return options with
        {
            ListenAddresses = [Loopback],
            BootstrapPeers = bootstrap,
            RunDht = false,
            Mailbox = options.Mailbox with { Store = store with { MaxEnvelopesPerIpPerDay = store.MaxEnvelopes, MaxBytesPerIpPerDay = store.MaxBytes } },
        };
    }

    private static async Task LookAroundAsync(DioneNode node, CancellationToken cancellationToken)
    {
        var overlay = node.Overlay.Dht;
        if (overlay.RoutingTable.Count > 0)
        {
            await overlay.GetClosestPeersAsync(node.Host.PeerId.ToBytes(), cancellationToken: cancellationToken).ConfigureAwait(false);
            // A lookup in every bucket, as the DHT's own refresh does a minute after start: the node's table then holds
            // the peers closest to any address, which is where its polls look for envelopes.
            await overlay.RefreshBucketsAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
