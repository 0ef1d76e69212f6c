using System.Text;
using Dione.Messenger.Persistence;
using Dione.Messenger.Tests.TestSupport;
using Google.Protobuf;

namespace Dione.Messenger.Tests.Conversations;

/// <summary>
/// When the outbox stops storing an envelope (docs/protocol.md §14.5): once r holders acknowledged it, once a holder
/// answers that the recipient read and deleted it, or, for a message under a ratchet address that another envelope
/// holds, at once, since holders never replace what they hold.
/// </summary>
public sealed class OutboxCompletionTests : IAsyncLifetime
{
    private AliceAndBob _people = null!;

    private RestartablePerson Alice => _people.Alice;

    private RestartablePerson Bob => _people.Bob;

    private InMemoryMailbox Mailbox => _people.Mailbox;

    public async Task InitializeAsync() => _people = await AliceAndBob.StartAsync(replication: 3);

    public async Task DisposeAsync() => await _people.DisposeAsync();

    [Fact]
    public async Task An_envelope_the_recipient_read_and_deleted_is_done_and_not_stored_again()
    {
        var ct = Timeouts.Token();
        await Alice.Messenger.SendAsync("bob", Text("hello"), ct);
        Mailbox.Down.Add(Mailbox.Holders[2]);
        var sent = await Alice.Messenger.SendAsync("bob", Text("read while a holder is down"), ct);
        Assert.Equal(2, sent.FirstAttempt.Acknowledged.Count);
        Assert.Equal(["hello", "read while a holder is down"], Bodies(await Bob.Messenger.PollAsync(ct)));
        Assert.Equal(0, Mailbox.CopiesAt(sent.Address));

        // Both holders that are up answer NOT_FOUND: Bob took it. Storing it again could only bring it back.
        Assert.Equal(1, await Alice.Messenger.DeliverPendingAsync(ct));

        Assert.Empty(await Alice.Database.PendingAsync(ct));
        Mailbox.Down.Clear();
        Assert.Equal(0, await Alice.Messenger.DeliverPendingAsync(ct));
        Assert.Equal(2, Mailbox.StoreCallsFor(sent.Address));
        Assert.Equal(0, Mailbox.CopiesAt(sent.Address));
        Assert.Empty(await Bob.Messenger.PollAsync(ct));
    }

    [Fact]
    public async Task A_message_whose_ratchet_address_another_envelope_holds_is_given_up_instead_of_retried_forever()
    {
        var ct = Timeouts.Token();
        await Alice.Messenger.SendAsync("bob", Text("hello"), ct);
        Assert.Equal(["hello"], Bodies(await Bob.Messenger.PollAsync(ct)));
        Mailbox.BeforeStore = async address =>
        {
            Mailbox.BeforeStore = null;
            var squatter = TestEnvelopes.Create(DateTimeOffset.UtcNow, address: address).Envelope.ToByteArray();
            Assert.True((await Mailbox.StoreAsync(squatter, address, ct)).Complete);
        };

        var sent = await Alice.Messenger.SendAsync("bob", Text("its address is taken"), ct);
        Assert.True(sent.FirstAttempt.RefusedAsConflict);
        Assert.Equal(0, await Alice.Messenger.DeliverPendingAsync(ct));

        Assert.Empty(await Alice.Database.PendingAsync(ct));
        Assert.Equal(0, await Alice.Messenger.DeliverPendingAsync(ct));
        Assert.Equal(3, Mailbox.StoreCallsFor(sent.Address));
    }

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    private static List<string> Bodies(IEnumerable<InboxEntry> entries) => [.. entries.Select(e => Encoding.UTF8.GetString(e.Body))];
}
