using Dione.Libp2p.Host;
using Dione.Messenger.Mailbox;

namespace Dione.Benchmarks.Messaging;

/// <summary>A node of the benchmark swarm: a host on 127.0.0.1 and its mailbox service, with its envelope database file.</summary>
internal sealed class BenchNode(Libp2pHost host, MailboxService mailbox, string databasePath) : IAsyncDisposable
{
    public Libp2pHost Host { get; } = host;

    public MailboxService Mailbox { get; } = mailbox;

    public string DatabasePath { get; } = databasePath;

    public async ValueTask DisposeAsync()
    {
        await Mailbox.DisposeAsync().ConfigureAwait(false);
        await Host.DisposeAsync().ConfigureAwait(false);
    }
}
