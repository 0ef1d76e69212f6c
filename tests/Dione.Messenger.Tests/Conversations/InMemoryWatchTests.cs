using System.Text;
using Dione.Messenger.Tests.TestSupport;

namespace Dione.Messenger.Tests.Conversations;

/// <summary>The receiver's watch against an in-memory mailbox: a waiting fetch answered by the store that fills it.</summary>
public sealed class InMemoryWatchTests : IAsyncLifetime
{
    private AliceAndBob _people = null!;

    private RestartablePerson Alice => _people.Alice;

    private RestartablePerson Bob => _people.Bob;

    public async Task InitializeAsync() => _people = await AliceAndBob.StartAsync(replication: 2);

    public async Task DisposeAsync() => await _people.DisposeAsync();

    [Fact]
    public async Task A_watch_opens_the_intro_and_then_the_ratchet_message_as_soon_as_each_is_stored()
    {
        var ct = Timeouts.Token();
        var wait = Timeouts.Test * 2; // longer than the test may run: only the store can end the watch in time

        var first = Bob.Messenger.WatchOnceAsync(wait, ct);
        Assert.False(first.IsCompleted);
        await Alice.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes("via the intro address"), ct);
        Assert.Equal("via the intro address", Encoding.UTF8.GetString(Assert.Single(await first).Body));

        var second = Bob.Messenger.WatchOnceAsync(wait, ct);
        await Alice.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes("at a ratchet address"), ct);
        Assert.Equal("at a ratchet address", Encoding.UTF8.GetString(Assert.Single(await second).Body));
    }

    [Fact]
    public async Task A_watch_with_nothing_arriving_ends_empty_when_its_wait_is_over()
    {
        Assert.Empty(await Bob.Messenger.WatchOnceAsync(TimeSpan.FromMilliseconds(200), Timeouts.Token()));
    }
}
