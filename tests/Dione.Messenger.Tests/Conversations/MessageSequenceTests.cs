using System.Text;
using Dione.Messenger.Persistence;
using Dione.Messenger.Tests.TestSupport;

namespace Dione.Messenger.Tests.Conversations;

/// <summary>
/// <c>MessageContent.sequence</c> (docs/protocol.md §14.5): each contact sees its own count, 1, 2, 3…, whatever the
/// sender wrote to others in between, and the count survives a restart.
/// </summary>
public sealed class MessageSequenceTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dione-sequence-tests-").FullName;
    private readonly InMemoryMailbox _mailbox = new(replication: 2);
    private RestartablePerson _alice = null!;
    private RestartablePerson _bob = null!;
    private RestartablePerson _carol = null!;

    public async Task InitializeAsync()
    {
        _alice = await RestartablePerson.OpenAsync(_mailbox, Path.Combine(_directory, "alice.db"));
        _bob = await RestartablePerson.OpenAsync(_mailbox, Path.Combine(_directory, "bob.db"));
        _carol = await RestartablePerson.OpenAsync(_mailbox, Path.Combine(_directory, "carol.db"));
        await _bob.Messenger.PublishPrekeysAsync(Timeouts.Token());
        await _carol.Messenger.PublishPrekeysAsync(Timeouts.Token());
        await _alice.Messenger.AddContactAsync("bob", _bob.Messenger.Address, Timeouts.Token());
        await _alice.Messenger.AddContactAsync("carol", _carol.Messenger.Address, Timeouts.Token());
    }

    public async Task DisposeAsync()
    {
        await _alice.DisposeAsync();
        await _bob.DisposeAsync();
        await _carol.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Two_contacts_each_see_sequences_1_2_3_whatever_went_to_the_other()
    {
        var ct = Timeouts.Token();
        string[] order = ["carol", "carol", "bob", "carol", "bob", "carol", "carol", "bob"];
        for (var i = 0; i < order.Length; i++)
        {
            if (i == 4)
            {
                await _alice.RestartAsync();
            }
            await _alice.Messenger.SendAsync(order[i], Encoding.UTF8.GetBytes($"message {i} to {order[i]}"), ct);
        }

        Assert.Equal([(1L, "message 2 to bob"), (2L, "message 4 to bob"), (3L, "message 7 to bob")], await ReceivedAsync(_bob, 3));
        Assert.Equal(
            [(1L, "message 0 to carol"), (2L, "message 1 to carol"), (3L, "message 3 to carol"), (4L, "message 5 to carol"), (5L, "message 6 to carol")],
            await ReceivedAsync(_carol, 5));
    }

    /// <summary>Sequence and text of what <paramref name="person"/> received, by sequence, once all <paramref name="count"/> arrived.</summary>
    private static async Task<List<(long, string)>> ReceivedAsync(RestartablePerson person, int count)
    {
        var ct = Timeouts.Token();
        var received = new List<InboxEntry>();
        while (received.Count < count)
        {
            received.AddRange(await person.Messenger.PollAsync(ct));
            ct.ThrowIfCancellationRequested();
        }
        return [.. received.OrderBy(entry => entry.Sequence).Select(entry => (entry.Sequence, Encoding.UTF8.GetString(entry.Body)))];
    }
}
