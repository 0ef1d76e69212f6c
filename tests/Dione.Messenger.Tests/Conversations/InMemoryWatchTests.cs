using System.Text;
using Dione.Messenger.Tests.TestSupport;

namespace Dione.Messenger.Tests.Conversations;

/// <summary>The receiver's watch against an in-memory mailbox: a waiting fetch answered by the store that fills it.</summary>
public sealed class InMemoryWatchTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dione-watch-tests-").FullName;
    private readonly InMemoryMailbox _mailbox = new(replication: 2);
    private RestartablePerson _alice = null!;
    private RestartablePerson _bob = null!;

    public async Task InitializeAsync()
    {
        _alice = await RestartablePerson.OpenAsync(_mailbox, Path.Combine(_directory, "alice.db"));
        _bob = await RestartablePerson.OpenAsync(_mailbox, Path.Combine(_directory, "bob.db"));
        await _bob.Messenger.PublishPrekeysAsync(Timeouts.Token());
        await _alice.Messenger.AddContactAsync("bob", _bob.Messenger.Address, Timeouts.Token());
    }

    public async Task DisposeAsync()
    {
        await _alice.DisposeAsync();
        await _bob.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_watch_opens_the_intro_and_then_the_ratchet_message_as_soon_as_each_is_stored()
    {
        var ct = Timeouts.Token();
        var wait = Timeouts.Test * 2; // longer than the test may run: only the store can end the watch in time

        var first = _bob.Messenger.WatchOnceAsync(wait, ct);
        Assert.False(first.IsCompleted);
        await _alice.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes("via the intro address"), ct);
        Assert.Equal("via the intro address", Encoding.UTF8.GetString(Assert.Single(await first).Body));

        var second = _bob.Messenger.WatchOnceAsync(wait, ct);
        await _alice.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes("at a ratchet address"), ct);
        Assert.Equal("at a ratchet address", Encoding.UTF8.GetString(Assert.Single(await second).Body));
    }

    [Fact]
    public async Task A_watch_with_nothing_arriving_ends_empty_when_its_wait_is_over()
    {
        Assert.Empty(await _bob.Messenger.WatchOnceAsync(TimeSpan.FromMilliseconds(200), Timeouts.Token()));
    }
}
