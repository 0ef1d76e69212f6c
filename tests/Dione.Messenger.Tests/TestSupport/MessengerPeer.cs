using Dione.Libp2p.Host;
using Dione.Messenger.Conversations;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Node;
using Dione.Messenger.Persistence;

namespace Dione.Messenger.Tests.TestSupport;

/// <summary>
/// A person's node in a <see cref="LocalSwarm"/>: a messenger over its own database file (the test owns the file)
/// whose loop does not run, so the test polls and watches itself.
/// </summary>
internal sealed class MessengerPeer : IAsyncDisposable
{
    private MessengerPeer(DioneNode node) => Node = node;

    public DioneNode Node { get; }

    public string DatabasePath => Node.Options.DatabasePath;

    public MessengerDatabase Database => Node.MessengerDatabase;

    public DioneMessenger Messenger => Node.Messenger;

    /// <summary>Adds a node for the person to <paramref name="swarm"/>, opening (or creating) the database at <paramref name="databasePath"/>.</summary>
    public static async Task<MessengerPeer> OpenAsync(LocalSwarm swarm, string databasePath, MessengerOptions? options = null)
    {
        var person = LocalSwarm.Person(databasePath);
        return new MessengerPeer(await swarm.AddNodeAsync(o => person(o) with { Messenger = options ?? o.Messenger }, cancellationToken: Timeouts.Token()));
    }

    /// <summary>Brings a stopped person back on a new node of <paramref name="swarm"/>, from the same database file.</summary>
    public static async Task<MessengerPeer> RestartAsync(LocalSwarm swarm, MessengerPeer stopped) =>
        new(await swarm.RestartNodeAsync(stopped.Node, cancellationToken: Timeouts.Token()));

    /// <summary>Stops the person's node (their swarm may dispose it again: that is a no-op).</summary>
    public ValueTask DisposeAsync() => Node.DisposeAsync();
}
