using Dione.Libp2p.Host;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Messenger.Mailbox;

namespace Dione.Cli.Demo;

/// <summary>One node of the demo swarm: a libp2p host on 127.0.0.1 and the mailbox service running on it.</summary>
internal sealed class DemoNode(int number, Libp2pHost host, MailboxService mailbox) : IAsyncDisposable
{
    /// <summary>The node's number in the swarm, from 1, in the order nodes were started.</summary>
    public int Number { get; } = number;

    public Libp2pHost Host { get; } = host;

    public MailboxService Mailbox { get; } = mailbox;

    /// <summary>The node's first listen address with its peer id, for others to join through.</summary>
    public Multiaddress Address => Host.ListenAddresses[0].WithPeerId(Host.PeerId);

    public async ValueTask DisposeAsync()
    {
        await Mailbox.DisposeAsync().ConfigureAwait(false);
        await Host.DisposeAsync().ConfigureAwait(false);
    }
}
