using Dione.Kademlia;
using Dione.Libp2p.Host;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Overlay;

namespace Dione.Messenger.Tests.TestSupport;

/// <summary>N hosts on 127.0.0.1, each running a <see cref="MailboxService"/>, their overlay bootstrapped to the first.</summary>
internal sealed class MailboxSwarm : IAsyncDisposable
{
    private readonly MailboxServiceOptions _options;

    private MailboxSwarm(List<(Libp2pHost Host, MailboxService Mailbox)> nodes, MailboxServiceOptions options)
    {
        Nodes = nodes;
        _options = options;
    }

    public List<(Libp2pHost Host, MailboxService Mailbox)> Nodes { get; }

    public static async Task<MailboxSwarm> StartAsync(int count, int replication, CancellationToken cancellationToken, int bucketSize = KademliaDefaults.K)
    {
        var nodes = new List<(Libp2pHost, MailboxService)>();
        var options = new MailboxServiceOptions
        {
            Overlay = new DioneOverlayOptions { Replication = replication },
            OverlayDht = new KademliaDhtOptions { Kad = new KadOptions { BucketSize = bucketSize, ReplacementCacheSize = bucketSize } },
        };
        var swarm = new MailboxSwarm(nodes, options);
        for (var i = 0; i < count; i++)
        {
            var host = new Libp2pHostBuilder().ListenOn("/ip4/127.0.0.1/tcp/0").Build();
            await host.StartAsync(cancellationToken);
            nodes.Add((host, await MailboxService.StartAsync(host, publicDht: null, options, cancellationToken: cancellationToken)));
        }
        var first = nodes[0].Item1;
        var firstAddress = first.ListenAddresses[0].WithPeerId(first.PeerId);
        foreach (var (_, mailbox) in nodes.Skip(1))
        {
            await mailbox.Overlay.BootstrapAsync([firstAddress], cancellationToken);
        }
        // A second round lets the early joiners learn the later ones.
        foreach (var (host, mailbox) in nodes)
        {
            await mailbox.Overlay.Dht.GetClosestPeersAsync(host.PeerId.ToBytes(), cancellationToken: cancellationToken);
        }
        return swarm;
    }

    /// <summary>Starts one more node and joins it to the overlay through a running node.</summary>
    public async Task<MailboxService> AddNodeAsync(CancellationToken cancellationToken)
    {
        var host = new Libp2pHostBuilder().ListenOn("/ip4/127.0.0.1/tcp/0").Build();
        await host.StartAsync(cancellationToken);
        var mailbox = await MailboxService.StartAsync(host, publicDht: null, _options, cancellationToken: cancellationToken);
        var entry = Nodes[0].Host;
        await mailbox.Overlay.BootstrapAsync([entry.ListenAddresses[0].WithPeerId(entry.PeerId)], cancellationToken);
        Nodes.Add((host, mailbox));
        return mailbox;
    }

    public async Task StopAsync(int index)
    {
        var (host, mailbox) = Nodes[index];
        await mailbox.DisposeAsync();
        await host.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (host, mailbox) in Nodes)
        {
            await mailbox.DisposeAsync();
            await host.DisposeAsync();
        }
    }
}
