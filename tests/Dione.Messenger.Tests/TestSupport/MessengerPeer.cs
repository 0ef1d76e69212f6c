using Dione.Libp2p.Host;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Messaging;
using Dione.Messenger.Persistence;

namespace Dione.Messenger.Tests.TestSupport;

/// <summary>A person on a node of a <see cref="MailboxSwarm"/>: a messenger over its own database file.</summary>
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

    public static async Task<MessengerPeer> OpenAsync(MailboxService mailbox, string? databasePath = null, MessengerOptions? options = null)
    {
        databasePath ??= Path.Combine(Path.GetTempPath(), $"dione-peer-{Guid.NewGuid():N}.db");
        var database = await MessengerDatabase.OpenAsync(databasePath);
        var messenger = await DioneMessenger.OpenAsync(database, mailbox.Client, options);
        return new MessengerPeer(databasePath, database, messenger);
    }

    public async ValueTask DisposeAsync() => await Database.DisposeAsync();

    public void DeleteFiles()
    {
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(DatabasePath)!, Path.GetFileName(DatabasePath) + "*"))
        {
            File.Delete(file);
        }
    }
}
