using System.Text;
using Dione.Messaging.Protos;
using Dione.Messenger.Persistence;
using Dione.Messenger.Tests.TestSupport;
using Google.Protobuf;

namespace Dione.Messenger.Tests.Conversations;

/// <summary>
/// The messenger's ordering promises (docs/protocol.md §14.5), against an in-memory mailbox: what is committed before
/// anything leaves the node or is deleted at the holders, and what a crash at each step leaves behind.
/// </summary>
public sealed class CrashOrderingTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dione-crash-tests-").FullName;
    private readonly InMemoryMailbox _mailbox = new(replication: 3);
    private RestartablePerson _alice = null!;
    private RestartablePerson _bob = null!;

    public async Task InitializeAsync()
    {
        _alice = await RestartablePerson.OpenAsync(_mailbox, Path.Combine(_directory, "alice.db"));
        _bob = await RestartablePerson.OpenAsync(_mailbox, Path.Combine(_directory, "bob.db"));
        Assert.Equal(3, await _bob.Messenger.PublishPrekeysAsync(Timeouts.Token()));
        await _alice.Messenger.AddContactAsync("bob", _bob.Messenger.Address, Timeouts.Token());
    }

    public async Task DisposeAsync()
    {
        await _alice.DisposeAsync();
        await _bob.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_send_commits_the_new_state_and_the_envelope_before_the_envelope_leaves_the_node()
    {
        var ct = Timeouts.Token();
        var checkedStores = 0;
        byte[]? stateBefore = null;
        _mailbox.BeforeStore = async address =>
        {
            await using var observer = await _alice.ObserveAsync();
            var queued = Assert.Single(await observer.PendingAsync(ct));
            Assert.Equal(address, queued.Address);
            var state = await observer.LoadSessionAsync("bob", ct);
            Assert.NotNull(state);
            Assert.NotEqual(stateBefore, state);
            checkedStores++;
        };

        await _alice.Messenger.SendAsync("bob", Text("first, in a carrier"), ct);
        stateBefore = await _alice.Database.LoadSessionAsync("bob", ct);
        await _alice.Messenger.SendAsync("bob", Text("second, on the ratchet"), ct);

        Assert.Equal(2, checkedStores);
        Assert.Empty(await _alice.Database.PendingAsync(ct));
    }

    [Fact]
    public async Task A_crash_after_the_send_commit_loses_nothing_and_the_recipient_gets_the_message_once()
    {
        var ct = Timeouts.Token();
        byte[]? crashedAt = null;
        _mailbox.BeforeStore = address =>
        {
            crashedAt = address;
            throw new SimulatedCrashException();
        };

        await Assert.ThrowsAsync<SimulatedCrashException>(() => _alice.Messenger.SendAsync("bob", Text("hello"), ct));
        _mailbox.BeforeStore = null;
        await _alice.RestartAsync();

        Assert.Equal(0, _mailbox.CopiesAt(crashedAt!));
        Assert.Equal(1, await _alice.Messenger.DeliverPendingAsync(ct));
        Assert.Equal(3, _mailbox.CopiesAt(crashedAt!));
        Assert.Equal(["hello"], Bodies(await _bob.Messenger.PollAsync(ct)));
        Assert.Empty(await _bob.Messenger.PollAsync(ct));
        Assert.Equal(["hello"], Bodies(await _bob.Database.InboxAsync(0, ct)));
    }

    [Fact]
    public async Task A_crash_while_storing_is_retried_after_restart_and_the_next_message_uses_a_fresh_key()
    {
        var ct = Timeouts.Token();
        await _alice.Messenger.SendAsync("bob", Text("hello"), ct);
        Assert.Single(await _bob.Messenger.PollAsync(ct));
        _mailbox.CrashAfterHolders = 1;

        await Assert.ThrowsAsync<SimulatedCrashException>(() => _alice.Messenger.SendAsync("bob", Text("again"), ct));
        await _alice.RestartAsync();
        var interrupted = Assert.Single(await _alice.Database.PendingAsync(ct));
        Assert.Equal(1, _mailbox.CopiesAt(interrupted.Address));
        // Had the crash lost the advanced state, this message would reuse the key and address of "again".
        var next = await _alice.Messenger.SendAsync("bob", Text("third"), ct);
        Assert.NotEqual(interrupted.Address, next.Address);
        Assert.Equal(1, await _alice.Messenger.DeliverPendingAsync(ct));

        Assert.Equal(3, _mailbox.CopiesAt(interrupted.Address));
        Assert.Empty(await _alice.Database.PendingAsync(ct));
        Assert.Equal(["again", "third"], Bodies(await _bob.Messenger.PollAsync(ct)));
        Assert.Equal(["hello", "again", "third"], Bodies(await _bob.Database.InboxAsync(0, ct)));
    }

    [Fact]
    public async Task A_receive_commits_state_and_messages_in_the_senders_order_before_deleting_at_the_holders()
    {
        var ct = Timeouts.Token();
        await _alice.Messenger.SendAsync("bob", Text("hello"), ct);
        Assert.Single(await _bob.Messenger.PollAsync(ct));
        var stateBefore = await _bob.Database.LoadSessionAsync(_alice.Messenger.Address, ct);
        var sent = new List<byte[]>();
        for (var i = 0; i < 5; i++)
        {
            sent.Add((await _alice.Messenger.SendAsync("bob", Text($"message {i}"), ct)).Address);
        }
        var raised = new List<string>();
        _bob.Messenger.MessageReceived += (_, entry) => raised.Add(Encoding.UTF8.GetString(entry.Body));
        var checkedDeletions = 0;
        _mailbox.BeforeDelete = async address =>
        {
            await using var observer = await _bob.ObserveAsync();
            Assert.Equal(["hello", .. Enumerable.Range(0, 5).Select(i => $"message {i}")], Bodies(await observer.InboxAsync(0, ct)));
            Assert.NotEqual(stateBefore, await observer.LoadSessionAsync(_alice.Messenger.Address, ct));
            Assert.Equal(5, raised.Count);
            Interlocked.Increment(ref checkedDeletions);
        };

        var received = await _bob.Messenger.PollAsync(ct);

        var expected = Enumerable.Range(0, 5).Select(i => $"message {i}").ToList();
        Assert.Equal(expected, Bodies(received));
        Assert.Equal(expected, raised);
        Assert.Equal(5, checkedDeletions);
        Assert.All(sent, address => Assert.Equal(0, _mailbox.CopiesAt(address)));
    }

    [Fact]
    public async Task A_crash_between_the_receive_commit_and_the_deletions_delivers_nothing_twice()
    {
        var ct = Timeouts.Token();
        _mailbox.BeforeDelete = _ => throw new SimulatedCrashException();
        var carrier = (await _alice.Messenger.SendAsync("bob", Text("hello"), ct)).Address;

        await Assert.ThrowsAsync<SimulatedCrashException>(() => _bob.Messenger.PollAsync(ct));
        await _bob.RestartAsync();
        Assert.Equal(3, _mailbox.CopiesAt(carrier)); // still there, and fetched again by the next poll
        Assert.Empty(await _bob.Messenger.PollAsync(ct));
        Assert.Equal(["hello"], Bodies(await _bob.Database.InboxAsync(0, ct)));

        var later = new List<byte[]>();
        for (var i = 0; i < 3; i++)
        {
            later.Add((await _alice.Messenger.SendAsync("bob", Text($"later {i}"), ct)).Address);
        }
        await Assert.ThrowsAsync<SimulatedCrashException>(() => _bob.Messenger.PollAsync(ct));
        await _bob.RestartAsync();
        Assert.All(later, address => Assert.Equal(3, _mailbox.CopiesAt(address)));
        _mailbox.BeforeDelete = null;

        Assert.Empty(await _bob.Messenger.PollAsync(ct));
        Assert.Equal(["hello", "later 0", "later 1", "later 2"], Bodies(await _bob.Database.InboxAsync(0, ct)));
        await _alice.Messenger.SendAsync("bob", Text("after the crash"), ct);
        Assert.Equal(["after the crash"], Bodies(await _bob.Messenger.PollAsync(ct)));
    }

    [Fact]
    public async Task Duplicates_replays_and_garbage_are_ignored()
    {
        var ct = Timeouts.Token();
        var carrierAddress = (await _alice.Messenger.SendAsync("bob", Text("hello"), ct)).Address;
        var carrier = (await _mailbox.FetchAsync([carrierAddress], ct))[0];
        var first = await _alice.Messenger.SendAsync("bob", Text("one"), ct);
        var envelope = (await _mailbox.FetchAsync([first.Address], ct))[0];
        // Every holder answers with its own copy; on top, garbage and an envelope claiming an address nobody expects.
        var stray = DioneEnvelope.Parser.ParseFrom(envelope);
        stray.Address = ByteString.CopyFrom(new byte[32]);
        _mailbox.Injected.AddRange([[1, 2, 3], new byte[300], stray.ToByteArray()]);

        Assert.Equal(["hello", "one"], Bodies(await _bob.Messenger.PollAsync(ct)));

        // A hostile holder replays what was read and deleted: the carrier and a ratchet envelope.
        _mailbox.Injected.AddRange([carrier, envelope]);
        await _alice.Messenger.SendAsync("bob", Text("two"), ct);
        Assert.Equal(["two"], Bodies(await _bob.Messenger.PollAsync(ct)));
        Assert.Empty(await _bob.Messenger.PollAsync(ct));
        Assert.Equal(["hello", "one", "two"], Bodies(await _bob.Database.InboxAsync(0, ct)));
    }

    [Fact]
    public async Task The_outbox_is_retried_until_every_holder_acknowledged()
    {
        var ct = Timeouts.Token();
        await _alice.Messenger.SendAsync("bob", Text("hello"), ct);
        _mailbox.Down.UnionWith(_mailbox.Holders.Skip(1));

        var sent = await _alice.Messenger.SendAsync("bob", Text("while two holders are down"), ct);
        Assert.False(sent.FirstAttempt.Complete);
        Assert.Single(sent.FirstAttempt.Acknowledged);
        Assert.Equal(0, await _alice.Messenger.DeliverPendingAsync(ct));
        var pending = Assert.Single(await _alice.Database.PendingAsync(ct));
        Assert.Equal((sent.OutboxId, 1, 2), (pending.Id, pending.Acknowledgements, pending.Attempts));

        _mailbox.Down.Clear();
        Assert.Equal(1, await _alice.Messenger.DeliverPendingAsync(ct));
        Assert.Empty(await _alice.Database.PendingAsync(ct));
        Assert.Equal(0, await _alice.Messenger.DeliverPendingAsync(ct));
        Assert.Equal(3, _mailbox.StoreCallsFor(sent.Address));
        Assert.Equal(3, _mailbox.CopiesAt(sent.Address));
        Assert.Equal(["hello", "while two holders are down"], Bodies(await _bob.Messenger.PollAsync(ct)));
    }

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    private static List<string> Bodies(IEnumerable<InboxEntry> entries) => [.. entries.Select(e => Encoding.UTF8.GetString(e.Body))];
}
