using Dione.Messenger.Conversations;
using Dione.Messenger.Persistence;

namespace Dione.Cli.Demo;

/// <summary>A person in the demo: their messenger database file, and the messenger running on one node of the swarm.</summary>
internal sealed class DemoPerson : IAsyncDisposable
{
    private DemoPerson(string name, string databasePath, MessengerDatabase database, DioneMessenger messenger, DemoNode node)
    {
        Name = name;
        DatabasePath = databasePath;
        Database = database;
        Messenger = messenger;
        Node = node;
    }

    public string Name { get; }

    /// <summary>The person's database: identity, prekeys, contacts, sessions, outbox and inbox.</summary>
    public string DatabasePath { get; }

    public MessengerDatabase Database { get; }

    public DioneMessenger Messenger { get; }

    /// <summary>The node the person's messenger uses.</summary>
    public DemoNode Node { get; }

    /// <summary>Opens (or creates, the first time) the person's database at <paramref name="databasePath"/> on <paramref name="node"/>.</summary>
    public static async Task<DemoPerson> OpenAsync(string name, string databasePath, DemoNode node, CancellationToken cancellationToken)
    {
        var database = await MessengerDatabase.OpenAsync(databasePath, cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            var messenger = await DioneMessenger.OpenAsync(database, node.Mailbox.Client, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new DemoPerson(name, databasePath, database, messenger, node);
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
