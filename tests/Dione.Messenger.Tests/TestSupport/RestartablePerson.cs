using Dione.Messenger.Conversations;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Persistence;

namespace Dione.Messenger.Tests.TestSupport;

/// <summary>A person whose messenger runs on a database file (the test owns it) and can be restarted as after a crash.</summary>
internal sealed class RestartablePerson : IAsyncDisposable
{
    private readonly IMailbox _mailbox;
    private readonly MessengerOptions? _options;

    private RestartablePerson(IMailbox mailbox, MessengerOptions? options, string databasePath, MessengerDatabase database, DioneMessenger messenger)
    {
        _mailbox = mailbox;
        _options = options;
        DatabasePath = databasePath;
        Database = database;
        Messenger = messenger;
    }

    public string DatabasePath { get; }

    public MessengerDatabase Database { get; private set; }

    public DioneMessenger Messenger { get; private set; }

    public static async Task<RestartablePerson> OpenAsync(IMailbox mailbox, string databasePath, MessengerOptions? options = null)
    {
        var database = await MessengerDatabase.OpenAsync(databasePath);
        return new RestartablePerson(mailbox, options, databasePath, database, await DioneMessenger.OpenAsync(database, mailbox, options));
    }

    /// <summary>
    /// As if the process died and started again: the messenger is dropped with whatever it was doing, the database
    /// closed, and a new messenger opened on the same file. Only what was committed survives.
    /// </summary>
    public async Task RestartAsync()
    {
        await Database.DisposeAsync();
        Database = await MessengerDatabase.OpenAsync(DatabasePath);
        Messenger = await DioneMessenger.OpenAsync(Database, _mailbox, _options);
    }

    /// <summary>A second connection to the database file: it sees only what was committed.</summary>
    public Task<MessengerDatabase> ObserveAsync() => MessengerDatabase.OpenAsync(DatabasePath);

    public async ValueTask DisposeAsync() => await Database.DisposeAsync();
}
