using Dione.Libp2p.Host;
using Dione.Messenger.Conversations;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Persistence;

namespace Dione.Messenger.Tests.TestSupport;

/// <summary>A person on a node of a <see cref="MailboxSwarm"/>: a messenger over its own database file (the test owns the file).</summary>
internal sealed class MessengerPeer : IAsyncDisposable
{
    private MessengerPeer(string databasePath, MessengerDatabase database, DioneMessenger messenger)
    {
        DatabasePath = databasePath;
        Database = database;
        Messenger = messenger;
    }

    public string DatabasePath { get; }

    public MessengerDatabase Database { get; }

    public DioneMessenger Messenger { get; }

    public static async Task<MessengerPeer> OpenAsync(MailboxService mailbox, string databasePath, MessengerOptions? options = null)
    {
        var database = await MessengerDatabase.OpenAsync(databasePath);
        var messenger = await DioneMessenger.OpenAsync(database, mailbox.Client, options);
        return new MessengerPeer(databasePath, database, messenger);
    }

    public async ValueTask DisposeAsync() => await Database.DisposeAsync();
}
