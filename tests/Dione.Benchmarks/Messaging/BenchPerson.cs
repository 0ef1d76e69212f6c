using Dione.Messenger.Conversations;
using Dione.Messenger.Persistence;

namespace Dione.Benchmarks.Messaging;

/// <summary>A person in the benchmark: a messenger database file and the messenger on one node.</summary>
internal sealed class BenchPerson(string databasePath, MessengerDatabase database, DioneMessenger messenger, BenchNode node) : IAsyncDisposable
{
    public string DatabasePath { get; } = databasePath;

    public MessengerDatabase Database { get; } = database;

    public DioneMessenger Messenger { get; } = messenger;

    public BenchNode Node { get; } = node;

    public static async Task<BenchPerson> OpenAsync(string databasePath, BenchNode node, CancellationToken cancellationToken)
    {
        var database = await MessengerDatabase.OpenAsync(databasePath, cancellationToken: cancellationToken).ConfigureAwait(false);
        var messenger = await DioneMessenger.OpenAsync(database, node.Mailbox.Client, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new BenchPerson(databasePath, database, messenger, node);
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
