using Dione.Kademlia;
using Dione.Kademlia.Dht;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Node;
using Dione.Messenger.Overlay;

namespace Dione.Messenger.Tests.TestSupport;

/// <summary>The tests' <see cref="LocalSwarm"/>: N mailbox nodes on 127.0.0.1 with databases in memory, joined through the first.</summary>
internal static class MailboxSwarm
{
    /// <param name="rereplicationInterval">How often each node re-replicates and sends its deletions on; null: the default (30 minutes).</param>
    public static Task<LocalSwarm> StartAsync(
        int count, int replication, CancellationToken cancellationToken, int bucketSize = KademliaDefaults.K, TimeSpan? rereplicationInterval = null)
    {
        var overlay = new DioneOverlayOptions { Replication = replication };
        var template = new DioneNodeOptions
        {
            RunMessenger = false,
            Mailbox = new MailboxServiceOptions
            {
                Overlay = rereplicationInterval is { } interval ? overlay with { RereplicationInterval = interval } : overlay,
                OverlayDht = new KademliaDhtOptions { Kad = new KadOptions { BucketSize = bucketSize, ReplacementCacheSize = bucketSize } },
            },
        };
        return LocalSwarm.StartAsync(count, template, directory: null, cancellationToken);
    }
}
