using System.Text;
using Dione.Messaging.Protos;
using Dione.Messenger.Conversations;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Persistence;
using Dione.Messenger.Tests.TestSupport;

namespace Dione.Messenger.Tests.Conversations;

/// <summary>
/// The prekey publication at its holders (docs/protocol.md §14.3): who can delete it, and what a sender accepts from
/// a holder that serves it.
/// </summary>
public sealed class PrekeyPublicationTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dione-prekey-tests-").FullName;
    private readonly InMemoryMailbox _mailbox = new(replication: 3);
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 8, 12, 0, 0, TimeSpan.Zero));
    private readonly List<MessengerDatabase> _databases = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_former_holder_cannot_delete_the_current_prekey_publication()
    {
        var ct = Timeouts.Token();
        var holders = new DeletionRecordingMailbox(_mailbox);
        var bob = await OpenAsync("bob", holders);
        Assert.Equal(3, await bob.PublishPrekeysAsync(ct));
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(3, await bob.PublishPrekeysAsync(ct)); // replaces the first: its holders see the DELETE and its token

        var (address, formerToken) = holders.Deletions[^1];
        Assert.Equal(0, await _mailbox.DeleteAsync(address, formerToken, ct));

        Assert.Equal(3, _mailbox.CopiesAt(address));
        var alice = await OpenAsync("alice", _mailbox);
        await alice.AddContactAsync("bob", bob.Address, ct);
        await alice.SendAsync("bob", Encoding.UTF8.GetBytes("on the current publication"), ct);
        Assert.Equal("on the current publication", Encoding.UTF8.GetString(Assert.Single(await bob.PollAsync(ct)).Body));
    }

    [Fact]
    public async Task A_restarted_node_replaces_its_own_prekey_publication_in_place()
    {
        var ct = Timeouts.Token();
        var bob = await OpenAsync("bob", _mailbox);
        Assert.Equal(3, await bob.PublishPrekeysAsync(ct));
        var first = await PublicationsAsync(bob);

        await CloseAsync();
        var restarted = await OpenAsync("bob", _mailbox);
        Assert.Equal(3, await restarted.PublishPrekeysAsync(ct));

        var second = await PublicationsAsync(restarted);
        Assert.Equal(Assert.Single(first).Address, Assert.Single(second).Address);
        Assert.NotEqual(first[0].DeletionHash, second[0].DeletionHash);
    }

    private async Task<DioneMessenger> OpenAsync(string person, IMailbox mailbox)
    {
        var database = await MessengerDatabase.OpenAsync(Path.Combine(_directory, person + ".db"), _time);
        _databases.Add(database);
        return await DioneMessenger.OpenAsync(database, mailbox, time: _time);
    }

    /// <summary>Closes the last opened database, as if its process ended.</summary>
    private async Task CloseAsync()
    {
        await _databases[^1].DisposeAsync();
        _databases.RemoveAt(_databases.Count - 1);
    }

    /// <summary>The distinct envelopes at every prekey address a sender would look at now.</summary>
    private async Task<List<DioneEnvelope>> PublicationsAsync(DioneMessenger owner) =>
        [.. (await _mailbox.FetchAsync([.. PrekeyAddresses.ToFetch(owner.Identity, _time.GetUtcNow())]))
            .Select(Convert.ToHexString).Distinct().Select(hex => DioneEnvelope.Parser.ParseFrom(Convert.FromHexString(hex)))];
}
