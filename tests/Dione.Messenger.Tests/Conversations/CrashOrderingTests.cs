using System.Text;
using Dione.Messaging.Protos;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Persistence;
using Dione.Messenger.Tests.TestSupport;
using Google.Protobuf;

namespace Dione.Messenger.Tests.Conversations;

/// <summary>
/// The messenger's ordering promises (docs/protocol.md §14.5), against an in-memory mailbox: what is committed before
/// anything leaves the node or is deleted at the holders, what a crash at each step leaves behind, and when the outbox
/// stops storing an envelope.
/// </summary>
public sealed class CrashOrderingTests : IAsyncLifetime
{
    private AliceAndBob _people = null!;

    private RestartablePerson Alice => _people.Alice;

    private RestartablePerson Bob => _people.Bob;

    private InMemoryMailbox Mailbox => _people.Mailbox;

    public async Task InitializeAsync()
    {
        _people = await AliceAndBob.StartAsync(replication: 3);
        Assert.Equal(3, _people.PrekeyHolders);
    }

    public async Task DisposeAsync() => await _people.DisposeAsync();

    [Fact]
    public async Task A_send_commits_the_new_state_and_the_envelope_before_the_envelope_leaves_the_node()
    {
        var ct = Timeouts.Token();
        var checkedStores = 0;
        byte[]? stateBefore = null;
        Mailbox.BeforeStore = async address =>
        {
            await using var observer = await Alice.ObserveAsync();
            var queued = Assert.Single(await observer.PendingAsync(ct));
            Assert.Equal(address, queued.Address);
            var state = await observer.LoadSessionAsync("bob", ct);
            Assert.NotNull(state);
            Assert.NotEqual(stateBefore, state);
            checkedStores++;
        };

        await Alice.Messenger.SendAsync("bob", Text("first, in a carrier"), ct);
        stateBefore = await Alice.Database.LoadSessionAsync("bob", ct);
        await Alice.Messenger.SendAsync("bob", Text("second, on the ratchet"), ct);

        Assert.Equal(2, checkedStores);
        Assert.Empty(await Alice.Database.PendingAsync(ct));
    }

    [Fact]
    public async Task A_crash_after_the_send_commit_loses_nothing_and_the_recipient_gets_the_message_once()
    {
        var ct = Timeouts.Token();
        byte[]? crashedAt = null;
        Mailbox.BeforeStore = address =>
        {
            crashedAt = address;
            throw new SimulatedCrashException();
        };

        await Assert.ThrowsAsync<SimulatedCrashException>(() => Alice.Messenger.SendAsync("bob", Text("hello"), ct));
        Mailbox.BeforeStore = null;
        await Alice.RestartAsync();

        Assert.Equal(0, Mailbox.CopiesAt(crashedAt!));
        Assert.Equal(1, await Alice.Messenger.DeliverPendingAsync(ct));
        Assert.Equal(3, Mailbox.CopiesAt(crashedAt!));
        Assert.Equal(["hello"], Bodies(await Bob.Messenger.PollAsync(ct)));
        Assert.Empty(await Bob.Messenger.PollAsync(ct));
        Assert.Equal(["hello"], Bodies(await Bob.Database.InboxAsync(0, ct)));
    }

    [Fact]
    public async Task A_crash_while_storing_is_retried_after_restart_and_the_next_message_uses_a_fresh_key()
    {
        var ct = Timeouts.Token();
        await Alice.Messenger.SendAsync("bob", Text("hello"), ct);
        Assert.Single(await Bob.Messenger.PollAsync(ct));
        Mailbox.CrashAfterHolders = 1;

        await Assert.ThrowsAsync<SimulatedCrashException>(() => Alice.Messenger.SendAsync("bob", Text("again"), ct));
        await Alice.RestartAsync();
        var interrupted = Assert.Single(await Alice.Database.PendingAsync(ct));
        Assert.Equal(1, Mailbox.CopiesAt(interrupted.Address));
        // Had the crash lost the advanced state, this message would reuse the key and address of "again".
        var next = await Alice.Messenger.SendAsync("bob", Text("third"), ct);
        Assert.NotEqual(interrupted.Address, next.Address);
        Assert.Equal(1, await Alice.Messenger.DeliverPendingAsync(ct));

        Assert.Equal(3, Mailbox.CopiesAt(interrupted.Address));
        Assert.Empty(await Alice.Database.PendingAsync(ct));
        Assert.Equal(["again", "third"], Bodies(await Bob.Messenger.PollAsync(ct)));
        Assert.Equal(["hello", "again", "third"], Bodies(await Bob.Database.InboxAsync(0, ct)));
    }

    [Fact]
    public async Task A_receive_commits_state_and_messages_in_the_senders_order_before_deleting_at_the_holders()
    {
        var ct = Timeouts.Token();
        await Alice.Messenger.SendAsync("bob", Text("hello"), ct);
        Assert.Single(await Bob.Messenger.PollAsync(ct));
        var stateBefore = await Bob.Database.LoadSessionAsync(Alice.Messenger.Address, ct);
        var sent = new List<byte[]>();
        for (var i = 0; i < 5; i++)
        {
            sent.Add((await Alice.Messenger.SendAsync("bob", Text($"message {i}"), ct)).Address);
        }
        var raised = new List<string>();
        Bob.Messenger.MessageReceived += (_, entry) => raised.Add(Encoding.UTF8.GetString(entry.Body));
        var checkedDeletions = 0;
        Mailbox.BeforeDelete = async address =>
        {
            await using var observer = await Bob.ObserveAsync();
            Assert.Equal(["hello", .. Enumerable.Range(0, 5).Select(i => $"message {i}")], Bodies(await observer.InboxAsync(0, ct)));
            Assert.NotEqual(stateBefore, await observer.LoadSessionAsync(Alice.Messenger.Address, ct));
            Assert.Equal(5, raised.Count);
            Interlocked.Increment(ref checkedDeletions);
        };

        var received = await Bob.Messenger.PollAsync(ct);

        var expected = Enumerable.Range(0, 5).Select(i => $"message {i}").ToList();
        Assert.Equal(expected, Bodies(received));
        Assert.Equal(expected, raised);
        Assert.Equal(5, checkedDeletions);
        Assert.All(sent, address => Assert.Equal(0, Mailbox.CopiesAt(address)));
    }

    [Fact]
    public async Task A_crash_between_the_receive_commit_and_the_deletions_delivers_nothing_twice()
    {
        var ct = Timeouts.Token();
        Mailbox.BeforeDelete = _ => throw new SimulatedCrashException();
        var carrier = (await Alice.Messenger.SendAsync("bob", Text("hello"), ct)).Address;

        await Assert.ThrowsAsync<SimulatedCrashException>(() => Bob.Messenger.PollAsync(ct));
        await Bob.RestartAsync();
        Assert.Equal(3, Mailbox.CopiesAt(carrier)); // still there, and fetched again by the next poll
        Assert.Empty(await Bob.Messenger.PollAsync(ct));
        Assert.Equal(["hello"], Bodies(await Bob.Database.InboxAsync(0, ct)));

        var later = new List<byte[]>();
        for (var i = 0; i < 3; i++)
        {
            later.Add((await Alice.Messenger.SendAsync("bob", Text($"later {i}"), ct)).Address);
        }
        await Assert.ThrowsAsync<SimulatedCrashException>(() => Bob.Messenger.PollAsync(ct));
        await Bob.RestartAsync();
        Assert.All(later, address => Assert.Equal(3, Mailbox.CopiesAt(address)));
        Mailbox.BeforeDelete = null;

        Assert.Empty(await Bob.Messenger.PollAsync(ct));
        Assert.Equal(["hello", "later 0", "later 1", "later 2"], Bodies(await Bob.Database.InboxAsync(0, ct)));
        await Alice.Messenger.SendAsync("bob", Text("after the crash"), ct);
        Assert.Equal(["after the crash"], Bodies(await Bob.Messenger.PollAsync(ct)));
    }

    [Fact]
    public async Task Duplicates_replays_and_garbage_are_ignored()
    {
        var ct = Timeouts.Token();
        var carrierAddress = (await Alice.Messenger.SendAsync("bob", Text("hello"), ct)).Address;
        var carrier = (await Mailbox.FetchAsync([carrierAddress], MailboxTraffic.Contacting, ct))[0];
        var first = await Alice.Messenger.SendAsync("bob", Text("one"), ct);
        var envelope = (await Mailbox.FetchAsync([first.Address], MailboxTraffic.Sessions, ct))[0];
        // Every holder answers with its own copy; on top, garbage and an envelope claiming an address nobody expects.
        var stray = DioneEnvelope.Parser.ParseFrom(envelope);
        stray.Address = ByteString.CopyFrom(new byte[32]);
        Mailbox.Injected.AddRange([[1, 2, 3], new byte[300], stray.ToByteArray()]);

        Assert.Equal(["hello", "one"], Bodies(await Bob.Messenger.PollAsync(ct)));

        // A hostile holder replays what was read and deleted: the carrier and a ratchet envelope.
        Mailbox.Injected.AddRange([carrier, envelope]);
        await Alice.Messenger.SendAsync("bob", Text("two"), ct);
        Assert.Equal(["two"], Bodies(await Bob.Messenger.PollAsync(ct)));
        Assert.Empty(await Bob.Messenger.PollAsync(ct));
        Assert.Equal(["hello", "one", "two"], Bodies(await Bob.Database.InboxAsync(0, ct)));
    }

    [Fact]
    public async Task The_outbox_is_retried_until_every_holder_acknowledged()
    {
        var ct = Timeouts.Token();
        await Alice.Messenger.SendAsync("bob", Text("hello"), ct);
        Mailbox.Down.UnionWith(Mailbox.Holders.Skip(1));

        var sent = await Alice.Messenger.SendAsync("bob", Text("while two holders are down"), ct);
        Assert.False(sent.FirstAttempt.Complete);
        Assert.Single(sent.FirstAttempt.Acknowledged);
        Assert.Equal(0, await Alice.Messenger.DeliverPendingAsync(ct));
        var pending = Assert.Single(await Alice.Database.PendingAsync(ct));
        Assert.Equal((sent.OutboxId, 1, 2), (pending.Id, pending.Acknowledgements, pending.Attempts));

        Mailbox.Down.Clear();
        Assert.Equal(1, await Alice.Messenger.DeliverPendingAsync(ct));
        Assert.Empty(await Alice.Database.PendingAsync(ct));
        Assert.Equal(0, await Alice.Messenger.DeliverPendingAsync(ct));
        Assert.Equal(3, Mailbox.StoreCallsFor(sent.Address));
        Assert.Equal(3, Mailbox.CopiesAt(sent.Address));
        Assert.Equal(["hello", "while two holders are down"], Bodies(await Bob.Messenger.PollAsync(ct)));
    }

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
    public async Task A_holder_claiming_the_deletion_of_an_envelope_no_holder_acknowledged_does_not_end_its_retries()
    {
        var ct = Timeouts.Token();
        await Alice.Messenger.SendAsync("bob", Text("hello"), ct);
        Mailbox.Down.UnionWith(Mailbox.Holders.Skip(1));
        Mailbox.ClaimDeleted.Add(Mailbox.Holders[0]);

        var sent = await Alice.Messenger.SendAsync("bob", Text("stored nowhere yet"), ct);
        Assert.Empty(sent.FirstAttempt.Acknowledged);
        Assert.Equal(0, await Alice.Messenger.DeliverPendingAsync(ct));
        Assert.Single(await Alice.Database.PendingAsync(ct));

        Mailbox.Down.Clear();
        Assert.Equal(1, await Alice.Messenger.DeliverPendingAsync(ct));
        Assert.Empty(await Alice.Database.PendingAsync(ct));
        Assert.Equal(["hello", "stored nowhere yet"], Bodies(await Bob.Messenger.PollAsync(ct)));
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
            Assert.True((await Mailbox.StoreAsync(squatter, address, MailboxTraffic.Sessions, ct)).Complete);
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
