using System.Text;
using Dione.Messenger.Conversations;
using Dione.Messenger.Persistence;
using Dione.Messenger.Tests.TestSupport;

namespace Dione.Messenger.Tests.Conversations;

/// <summary>
/// Naming, renaming and removing a contact against an in-memory mailbox: someone who wrote first is named by their
/// address, and giving them a name must not lose a message in either direction.
/// </summary>
public sealed class ContactNamingTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dione-contact-tests-").FullName;
    private readonly InMemoryMailbox _mailbox = new(replication: 3);
    private RestartablePerson _first = null!;
    private RestartablePerson _second = null!;

    public async Task InitializeAsync()
    {
        _first = await RestartablePerson.OpenAsync(_mailbox, Path.Combine(_directory, "first.db"));
        _second = await RestartablePerson.OpenAsync(_mailbox, Path.Combine(_directory, "second.db"));
        Assert.Equal(3, await _first.Messenger.PublishPrekeysAsync(Timeouts.Token()));
        Assert.Equal(3, await _second.Messenger.PublishPrekeysAsync(Timeouts.Token()));
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Renaming_someone_who_wrote_first_keeps_the_session_the_outbox_and_the_inbox_and_loses_nothing()
    {
        var ct = Timeouts.Token();
        var (alice, bob) = (_first, _second);
        await alice.Messenger.AddContactAsync("bob", bob.Messenger.Address, ct);
        await alice.Messenger.SendAsync("bob", Text("hello bob"), ct);
        Assert.Equal([(alice.Messenger.Address, "hello bob")], Entries(await bob.Messenger.PollAsync(ct)));
        // Bob replies while no holder answers (his reply waits in his outbox), and Alice writes again before he renames her.
        _mailbox.Down.UnionWith(_mailbox.Holders);
        await bob.Messenger.SendAsync(alice.Messenger.Address, Text("hi, who is this?"), ct);
        _mailbox.Down.Clear();
        await alice.Messenger.SendAsync("bob", Text("it's alice"), ct);

        await bob.Messenger.RenameContactAsync(alice.Messenger.Address, "alice", ct);

        Assert.Equal([("alice", "it's alice")], Entries(await bob.Messenger.PollAsync(ct)));
        Assert.Equal(1, await bob.Messenger.DeliverPendingAsync(ct));
        Assert.Equal([("bob", "hi, who is this?")], Entries(await alice.Messenger.PollAsync(ct)));
        Assert.Equal(["alice"], (await bob.Messenger.ContactsAsync(ct)).Select(c => c.Name));
        Assert.All(await bob.Database.InboxAsync(0, ct), m => Assert.Equal("alice", m.Contact));
        Assert.Equal(1, (await bob.Messenger.StatusAsync(ct)).Sessions);
        await ExchangeAsync(alice, "bob", bob, "alice", rounds: 5);
    }

    [Fact]
    public async Task Renaming_refuses_an_unknown_contact_a_taken_name_and_a_bad_name()
    {
        var ct = Timeouts.Token();
        await _first.Messenger.AddContactAsync("bob", _second.Messenger.Address, ct);
        await using var carol = await RestartablePerson.OpenAsync(_mailbox, Path.Combine(_directory, "carol.db"));
        await _first.Messenger.AddContactAsync("carol", carol.Messenger.Address, ct);

        var unknown = await Assert.ThrowsAsync<MessengerException>(() => _first.Messenger.RenameContactAsync("nobody", "dave", ct));
        var taken = await Assert.ThrowsAsync<MessengerException>(() => _first.Messenger.RenameContactAsync("bob", "carol", ct));
        var bad = await Assert.ThrowsAsync<MessengerException>(() => _first.Messenger.RenameContactAsync("bob", " bob", ct));

        Assert.Equal("no contact named 'nobody'", unknown.Message);
        Assert.Equal("a contact named 'carol' already exists", taken.Message);
        Assert.Equal("a contact name has no control characters and no leading or trailing spaces", bad.Message);
        Assert.Equal(["bob", "carol"], (await _first.Messenger.ContactsAsync(ct)).Select(c => c.Name));
    }

    [Fact]
    public async Task Adding_an_address_that_is_already_a_contact_names_that_contact_and_the_rename_to_run()
    {
        var ct = Timeouts.Token();
        var (alice, bob) = (_first, _second);
        await alice.Messenger.AddContactAsync("bob", bob.Messenger.Address, ct);
        await alice.Messenger.SendAsync("bob", Text("hello bob"), ct);
        Assert.Single(await bob.Messenger.PollAsync(ct));

        var asAlice = await Assert.ThrowsAsync<MessengerException>(() => bob.Messenger.AddContactAsync("alice", alice.Messenger.Address, ct));
        var withSpaces = await Assert.ThrowsAsync<MessengerException>(() => bob.Messenger.AddContactAsync("Alice O'Hara", alice.Messenger.Address, ct));
        await bob.Messenger.RenameContactAsync(alice.Messenger.Address, "alice", ct);
        var again = await Assert.ThrowsAsync<MessengerException>(() => bob.Messenger.AddContactAsync("alice", alice.Messenger.Address, ct));

        var address = alice.Messenger.Address;
        Assert.Equal($"this address is already the contact '{address}'; to name it 'alice', run: dione contact rename {address} alice", asAlice.Message);
        Assert.EndsWith($"run: dione contact rename {address} 'Alice O'\\''Hara'", withSpaces.Message);
        Assert.Equal("'alice' is already a contact with this address", again.Message);
        Assert.Equal([("alice", "hello bob")], Entries(await bob.Database.InboxAsync(0, ct)));
    }

    [Fact]
    public async Task Removing_a_contact_with_a_session_needs_force_and_a_refused_removal_loses_nothing()
    {
        var ct = Timeouts.Token();
        var (alice, bob) = (_first, _second);
        await alice.Messenger.AddContactAsync("bob", bob.Messenger.Address, ct);
        await using var carol = await RestartablePerson.OpenAsync(_mailbox, Path.Combine(_directory, "carol.db"));
        await bob.Messenger.AddContactAsync("carol", carol.Messenger.Address, ct);
        await alice.Messenger.SendAsync("bob", Text("hello bob"), ct);
        Assert.Single(await bob.Messenger.PollAsync(ct));

        var refused = await Assert.ThrowsAsync<MessengerException>(() => bob.Messenger.RemoveContactAsync(alice.Messenger.Address, cancellationToken: ct));
        await alice.Messenger.SendAsync("bob", Text("still there?"), ct);
        await bob.Messenger.RemoveContactAsync("carol", cancellationToken: ct);

        Assert.StartsWith($"'{alice.Messenger.Address}' has a session with you: removing it deletes the session", refused.Message);
        Assert.EndsWith("use --force", refused.Message);
        Assert.Equal([(alice.Messenger.Address, "still there?")], Entries(await bob.Messenger.PollAsync(ct)));
        Assert.Equal([alice.Messenger.Address], (await bob.Messenger.ContactsAsync(ct)).Select(c => c.Name));
    }

    /// <summary>
    /// Bob removes Alice with --force and adds her again: his next message starts a new session, and Alice takes it as
    /// Bob starting over, whether or not Bob had answered her before and whichever of them has the smaller key (the
    /// smaller key wins a simultaneous first contact, which this is not).
    /// </summary>
    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public async Task A_contact_removed_with_force_and_added_again_gets_a_new_session_that_the_other_side_takes_as_a_restart(
        bool aliceHasTheSmallerKey, bool bobHadAnswered)
    {
        var ct = Timeouts.Token();
        var firstIsSmaller = _first.Messenger.Identity.Ed25519PublicKey.SequenceCompareTo(_second.Messenger.Identity.Ed25519PublicKey) < 0;
        var (alice, bob) = firstIsSmaller == aliceHasTheSmallerKey ? (_first, _second) : (_second, _first);
        await alice.Messenger.AddContactAsync("bob", bob.Messenger.Address, ct);
        await alice.Messenger.SendAsync("bob", Text("hello bob"), ct);
        Assert.Single(await bob.Messenger.PollAsync(ct));
        if (bobHadAnswered)
        {
            await bob.Messenger.SendAsync(alice.Messenger.Address, Text("hi"), ct);
            Assert.Single(await alice.Messenger.PollAsync(ct));
        }

        await bob.Messenger.RemoveContactAsync(alice.Messenger.Address, force: true, ct);
        await bob.Messenger.AddContactAsync("alice", alice.Messenger.Address, ct);
        await bob.Messenger.SendAsync("alice", Text("sorry, I started over"), ct);

        Assert.Equal([("bob", "sorry, I started over")], Entries(await alice.Messenger.PollAsync(ct)));
        await alice.Messenger.SendAsync("bob", Text("no problem"), ct);
        Assert.Equal([("alice", "no problem")], Entries(await bob.Messenger.PollAsync(ct)));
        await ExchangeAsync(alice, "bob", bob, "alice", rounds: 5);
    }

    /// <summary>Each side writes to the other <paramref name="rounds"/> times and reads every message, once, in order.</summary>
    private static async Task ExchangeAsync(RestartablePerson one, string twoAs, RestartablePerson two, string oneAs, int rounds)
    {
        var ct = Timeouts.Token();
        for (var round = 0; round < rounds; round++)
        {
            await one.Messenger.SendAsync(twoAs, Text($"{oneAs} {round}"), ct);
            Assert.Equal([(oneAs, $"{oneAs} {round}")], Entries(await two.Messenger.PollAsync(ct)));
            await two.Messenger.SendAsync(oneAs, Text($"{twoAs} {round}"), ct);
            Assert.Equal([(twoAs, $"{twoAs} {round}")], Entries(await one.Messenger.PollAsync(ct)));
        }
    }

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    private static List<(string, string)> Entries(IEnumerable<InboxEntry> entries) => [.. entries.Select(e => (e.Contact, Encoding.UTF8.GetString(e.Body)))];
}
