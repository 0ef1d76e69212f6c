using System.Text;
using Dione.Messaging.X3dh;
using Dione.Messenger.Conversations;
using Dione.Messenger.Persistence;
using Dione.Messenger.Tests.TestSupport;

namespace Dione.Messenger.Tests.Conversations;

/// <summary>
/// Sessions others start cost the receiver a contact, a one-time prekey and addresses to poll, so only
/// <see cref="MessengerOptions.MaxUnansweredSessions"/> of them may wait unanswered; beyond that a stranger's first
/// message is refused (logged once, its one-time prekey kept) until the person answers or removes someone.
/// </summary>
public sealed class UnansweredSessionLimitTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dione-unanswered-tests-").FullName;
    private readonly InMemoryMailbox _mailbox = new(replication: 2);
    private readonly RecordingLogger _bobLog = new();
    private readonly List<MessengerDatabase> _databases = [];
    private DioneMessenger _bob = null!;
    private MessengerDatabase _bobDatabase = null!;

    public async Task InitializeAsync()
    {
        _bobDatabase = await OpenDatabaseAsync("bob");
        _bob = await DioneMessenger.OpenAsync(_bobDatabase, _mailbox, new MessengerOptions { MaxUnansweredSessions = 2 }, logger: _bobLog,
            cancellationToken: Timeouts.Token());
        await _bob.PublishPrekeysAsync(Timeouts.Token());
    }

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_stranger_beyond_the_limit_is_refused_once_logged_keeps_the_prekey_and_is_accepted_after_an_answer()
    {
        var ct = Timeouts.Token();
        var carol = await StrangerWritesAsync("carol");
        Assert.Single(await _bob.PollAsync(ct));
        await StrangerWritesAsync("dave");
        Assert.Single(await _bob.PollAsync(ct));
        var prekeysAtLimit = await OneTimePrekeyIdsAsync();

        await StrangerWritesAsync("erin");
        Assert.Empty(await _bob.PollAsync(ct));
        Assert.Empty(await _bob.PollAsync(ct));

        Assert.Equal(2, (await _bob.ContactsAsync(ct)).Count);
        Assert.Equal(prekeysAtLimit, await OneTimePrekeyIdsAsync());
        Assert.Single(_bobLog.Lines, line => line.Message.Contains("MaxUnansweredSessions", StringComparison.Ordinal));

        // Answering carol leaves one unanswered session: erin's carrier, still at the holders, is accepted now.
        await _bob.SendAsync(carol, "hi carol"u8.ToArray(), ct);
        Assert.Equal("erin writes", Encoding.UTF8.GetString(Assert.Single(await _bob.PollAsync(ct)).Body));
        Assert.Equal(3, (await _bob.ContactsAsync(ct)).Count);
    }

    [Fact]
    public async Task A_contact_already_in_the_book_is_accepted_at_the_limit()
    {
        var ct = Timeouts.Token();
        await StrangerWritesAsync("carol");
        Assert.Single(await _bob.PollAsync(ct));
        await StrangerWritesAsync("dave");
        Assert.Single(await _bob.PollAsync(ct));
        var (_, frank) = await OpenPersonAsync("frank");
        await _bob.AddContactAsync("frank", frank.Address, ct);

        await frank.AddContactAsync("bob", _bob.Address, ct);
        await frank.SendAsync("bob", "frank writes"u8.ToArray(), ct);

        Assert.Equal("frank writes", Encoding.UTF8.GetString(Assert.Single(await _bob.PollAsync(ct)).Body));
        Assert.DoesNotContain(_bobLog.Lines, line => line.Message.Contains("MaxUnansweredSessions", StringComparison.Ordinal));
    }

    /// <summary>A new person adds Bob and writes to him; returns the name Bob will know them by (their address).</summary>
    private async Task<string> StrangerWritesAsync(string name)
    {
        var (_, stranger) = await OpenPersonAsync(name);
        await stranger.AddContactAsync("bob", _bob.Address, Timeouts.Token());
        await stranger.SendAsync("bob", Encoding.UTF8.GetBytes($"{name} writes"), Timeouts.Token());
        return stranger.Address;
    }

    private async Task<(MessengerDatabase Database, DioneMessenger Messenger)> OpenPersonAsync(string name)
    {
        var database = await OpenDatabaseAsync(name);
        return (database, await DioneMessenger.OpenAsync(database, _mailbox, cancellationToken: Timeouts.Token()));
    }

    private async Task<MessengerDatabase> OpenDatabaseAsync(string name)
    {
        var database = await MessengerDatabase.OpenAsync(Path.Combine(_directory, name + ".db"), cancellationToken: Timeouts.Token());
        _databases.Add(database);
        return database;
    }

    private async Task<IReadOnlyList<uint>> OneTimePrekeyIdsAsync() =>
        PrekeyStore.FromBytes((await _bobDatabase.LoadIdentityAsync(Timeouts.Token()))!.Value.Prekeys).OneTimePrekeyIds;
}
