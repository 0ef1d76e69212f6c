using System.Text;
using Dione.Messenger.Conversations;
using Dione.Messenger.Persistence;
using Dione.Messenger.Tests.TestSupport;

namespace Dione.Messenger.Tests.Conversations;

/// <summary>
/// A receiver that comes back to a backlog from one sender: the look-ahead grows while fetches keep coming back full,
/// so 300 waiting messages take a handful of fetch rounds, not 300 / (W + look-ahead).
/// </summary>
public sealed class BacklogDrainTests : IAsyncLifetime
{
    private const int Backlog = 300;
    private const int MaxRounds = 5;

    private readonly string _directory = Directory.CreateTempSubdirectory("dione-backlog-tests-").FullName;
    private readonly InMemoryMailbox _mailbox = new(replication: 2);
    private MessengerDatabase _aliceDatabase = null!;
    private MessengerDatabase _bobDatabase = null!;
    private DioneMessenger _alice = null!;
    private DioneMessenger _bob = null!;

    public async Task InitializeAsync()
    {
        var ct = Timeouts.Token();
        _aliceDatabase = await MessengerDatabase.OpenAsync(Path.Combine(_directory, "alice.db"), cancellationToken: ct);
        _bobDatabase = await MessengerDatabase.OpenAsync(Path.Combine(_directory, "bob.db"), cancellationToken: ct);
        _alice = await DioneMessenger.OpenAsync(_aliceDatabase, _mailbox, cancellationToken: ct);
        _bob = await DioneMessenger.OpenAsync(_bobDatabase, _mailbox, cancellationToken: ct);
        await _bob.PublishPrekeysAsync(ct);
        await _alice.AddContactAsync("bob", _bob.Address, ct);
        await _alice.SendAsync("bob", "hello"u8.ToArray(), ct);
        Assert.Single(await _bob.PollAsync(ct));
    }

    public async Task DisposeAsync()
    {
        await _aliceDatabase.DisposeAsync();
        await _bobDatabase.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_backlog_of_300_drains_in_at_most_five_poll_rounds_with_nothing_lost()
    {
        var ct = Timeouts.Token();
        var sent = await SendBacklogAsync(ct);
        var roundsBefore = _bob.FetchRounds;

        var received = await _bob.PollAsync(ct);

        Assert.Equal(sent.Order(StringComparer.Ordinal), received.Select(Body).Order(StringComparer.Ordinal));
        Assert.InRange(_bob.FetchRounds - roundsBefore, 1, MaxRounds);
    }

    [Fact]
    public async Task A_backlog_of_300_drains_in_at_most_five_watches_with_nothing_lost()
    {
        var ct = Timeouts.Token();
        var sent = await SendBacklogAsync(ct);
        var roundsBefore = _bob.FetchRounds;

        var received = new List<string>();
        while (received.Count < Backlog && _bob.FetchRounds - roundsBefore < 2 * MaxRounds)
        {
            received.AddRange((await _bob.WatchOnceAsync(Timeouts.Test, ct)).Select(Body));
        }

        Assert.Equal(sent.Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
        Assert.InRange(_bob.FetchRounds - roundsBefore, 1, MaxRounds);
    }

    private async Task<List<string>> SendBacklogAsync(CancellationToken ct)
    {
        var sent = new List<string>();
        for (var i = 0; i < Backlog; i++)
        {
            var body = $"backlog {i:D3}";
            await _alice.SendAsync("bob", Encoding.UTF8.GetBytes(body), ct);
            sent.Add(body);
        }
        return sent;
    }

    private static string Body(InboxEntry entry) => Encoding.UTF8.GetString(entry.Body);
}
