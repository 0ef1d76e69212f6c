using Dione.Messenger.Persistence;
using Microsoft.Data.Sqlite;

namespace Dione.Messenger.Tests.Persistence;

public sealed class MessengerDatabaseTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"dione-messenger-{Guid.NewGuid():N}.db");
    private MessengerDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await MessengerDatabase.OpenAsync(_path);
        await _database.AddContactAsync("bob", [1, 2, 3]);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_path) + "*"))
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_send_commits_the_new_state_and_queues_the_envelope_together()
    {
        var id = await _database.CommitSendAsync("bob", [9], [0xa1], [0xe1]);

        Assert.Equal([9], await _database.LoadSessionAsync("bob"));
        var pending = Assert.Single(await _database.PendingAsync());
        Assert.Equal(id, pending.Id);
        Assert.Equal([0xe1], pending.Envelope);
    }

    [Fact]
    public async Task The_messenger_connection_commits_to_disk_and_zeroes_what_it_deletes()
    {
        Assert.Equal(2L, await _database.PragmaAsync("synchronous")); // FULL: a new ratchet state is on disk before its envelope leaves
        Assert.Equal(1L, await _database.PragmaAsync("secure_delete"));
        Assert.Equal(1L, await _database.PragmaAsync("foreign_keys"));
    }

    [Fact]
    public async Task A_replaced_ratchet_state_or_removed_session_leaves_no_copy_in_the_database_files()
    {
        var first = System.Security.Cryptography.RandomNumberGenerator.GetBytes(96);
        var second = System.Security.Cryptography.RandomNumberGenerator.GetBytes(96);
        var ct = Timeouts.Token();
        await _database.CommitSendAsync("bob", first, [0xa1], [0xe1]);
        Assert.True(FilesContain(first));

        await _database.CommitReceiveAsync("bob", second, [0xb1], "hi"u8.ToArray());
        // The WAL is truncated a moment after the write (DeferredWalTruncation), not before it returns.
        await Eventually.TrueAsync(() => !FilesContain(first), ct);

        Assert.True(await _database.RemoveContactAsync("bob"));
        await Eventually.TrueAsync(() => !FilesContain(second), ct);
    }

    [Fact]
    public async Task A_burst_of_key_changing_writes_shares_its_wal_truncations_and_leaves_no_old_state()
    {
        var ct = Timeouts.Token();
        var states = Enumerable.Range(0, 50).Select(_ => System.Security.Cryptography.RandomNumberGenerator.GetBytes(96)).ToList();
        for (var i = 0; i < states.Count; i++)
        {
            await _database.CommitSendAsync("bob", states[i], [(byte)i, 0xa1], [0xe1]);
        }

        await Eventually.TrueAsync(() => states.SkipLast(1).All(state => !FilesContain(state)), ct);
        Assert.True(_database.WalTruncations < states.Count, $"{_database.WalTruncations} truncations for {states.Count} writes");
        Assert.True(_database.WalTruncations >= 1);
    }

    [Fact]
    public async Task A_failed_send_commit_leaves_the_old_state_in_place()
    {
        await _database.CommitSendAsync("bob", [1], [0xa1], [0xe1]);

        // The same address twice breaks the outbox's uniqueness inside the transaction, after the state was written.
        await Assert.ThrowsAsync<SqliteException>(() => _database.CommitSendAsync("bob", [2], [0xa1], [0xe2]));

        Assert.Equal([1], await _database.LoadSessionAsync("bob"));
        Assert.Single(await _database.PendingAsync());
    }

    [Fact]
    public async Task A_received_duplicate_changes_nothing()
    {
        Assert.True(await _database.CommitReceiveAsync("bob", [5], [0xb1], "hello"u8.ToArray()));
        Assert.False(await _database.CommitReceiveAsync("bob", [6], [0xb1], "hello"u8.ToArray()));

        Assert.Equal([5], await _database.LoadSessionAsync("bob"));
        Assert.Single(await _database.InboxAsync());
    }

    [Fact]
    public async Task Outbox_entries_leave_the_pending_list_once_done()
    {
        var first = await _database.CommitSendAsync("bob", [1], [0xa1], [0xe1]);
        var second = await _database.CommitSendAsync("bob", [2], [0xa2], [0xe2]);

        await _database.RecordAttemptAsync(first, acknowledgements: 2, done: false);
        await _database.RecordAttemptAsync(second, acknowledgements: 5, done: true);

        var pending = Assert.Single(await _database.PendingAsync());
        Assert.Equal((first, 2, 1), (pending.Id, pending.Acknowledgements, pending.Attempts));
    }

    [Fact]
    public async Task An_identity_once_stored_is_never_replaced()
    {
        var first = await _database.StoreIdentityIfAbsentAsync([1], [2]);
        var second = await _database.StoreIdentityIfAbsentAsync([3], [4]);

        var stored = (await _database.LoadIdentityAsync())!.Value;
        Assert.All(new[] { first, second, stored }, keys => Assert.Equal("01/02", $"{Convert.ToHexString(keys.Identity)}/{Convert.ToHexString(keys.Prekeys)}"));
    }

    [Fact]
    public async Task Everything_survives_reopening()
    {
        await _database.StoreIdentityIfAbsentAsync([7], [8]);
        await _database.CommitSendAsync("bob", [3], [0xa1], [0xe1]);
        await _database.CommitReceiveAsync("bob", [4], [0xb1], [0x42]);
        await _database.DisposeAsync();

        _database = await MessengerDatabase.OpenAsync(_path);

        var (identity, prekeys) = (await _database.LoadIdentityAsync())!.Value;
        Assert.Equal([7], identity);
        Assert.Equal([8], prekeys);
        Assert.Equal([4], await _database.LoadSessionAsync("bob"));
        Assert.Single(await _database.PendingAsync());
        Assert.Equal([0x42], Assert.Single(await _database.InboxAsync()).Body);
        Assert.Equal("bob", Assert.Single(await _database.ContactsAsync()).Name);
    }

    [Fact]
    public async Task Contacts_are_unique_by_name_and_by_key_and_removal_drops_the_session()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => _database.AddContactAsync("bob", [4]));
        await Assert.ThrowsAsync<InvalidOperationException>(() => _database.AddContactAsync("robert", [1, 2, 3]));
        await _database.SaveSessionAsync("bob", [1]);

        Assert.True(await _database.RemoveContactAsync("bob"));
        Assert.False(await _database.RemoveContactAsync("bob"));
        Assert.Null(await _database.LoadSessionAsync("bob"));
    }

    [Fact]
    public async Task A_rename_moves_the_session_the_outbox_and_the_inbox_together_or_not_at_all()
    {
        await _database.AddContactAsync("carol", [7]);
        await _database.CommitSendAsync("bob", [9], [0xa1], [0xe1]);
        await _database.CommitReceiveAsync("bob", [10], [0xb1], [0x42]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _database.RenameContactAsync("bob", "carol"));
        var unchanged = (Assert.Single(await _database.SessionsAsync()).Contact, Assert.Single(await _database.PendingAsync()).Contact, Assert.Single(await _database.InboxAsync()).Contact);
        Assert.False(await _database.RenameContactAsync("nobody", "dave"));
        Assert.True(await _database.RenameContactAsync("bob", "robert"));

        Assert.Equal(("bob", "bob", "bob"), unchanged);
        Assert.Equal(["carol", "robert"], (await _database.ContactsAsync()).Select(c => c.Name));
        Assert.Equal([1, 2, 3], (await _database.FindContactAsync("robert"))!.IdentityKey);
        Assert.Equal([10], await _database.LoadSessionAsync("robert"));
        Assert.Null(await _database.LoadSessionAsync("bob"));
        Assert.Equal("robert", Assert.Single(await _database.PendingAsync()).Contact);
        Assert.Equal("robert", Assert.Single(await _database.InboxAsync()).Contact);
        Assert.True(await _database.RemoveContactAsync("robert"));
        Assert.Null(await _database.LoadSessionAsync("robert"));
    }

    [Fact]
    public async Task What_was_sent_on_an_unanswered_session_is_kept_until_the_session_opens_a_message_and_then_leaves_no_copy()
    {
        var first = System.Security.Cryptography.RandomNumberGenerator.GetBytes(64);
        var second = System.Security.Cryptography.RandomNumberGenerator.GetBytes(64);
        await _database.CommitSendAsync("bob", [1], [0xa1], [0xe1], unansweredContent: first);
        await _database.CommitSendAsync("bob", [2], [0xa2], [0xe2], unansweredContent: second);
        await _database.CommitSendAsync("bob", [3], [0xa3], [0xe3]);
        var kept = await _database.UnansweredContentAsync("bob");

        await _database.CommitReceiveAsync("bob", [4], [0xb1], [0x42]);

        Assert.Equal([first, second], kept);
        Assert.Empty(await _database.UnansweredContentAsync("bob"));
        await Eventually.TrueAsync(() => !FilesContain(first) && !FilesContain(second), Timeouts.Token());
        Assert.Equal(3, (await _database.PendingAsync()).Count);
    }

    [Fact]
    public async Task A_session_replaced_by_the_contacts_own_gives_up_its_unanswered_envelopes_and_queues_what_was_encrypted_again()
    {
        await _database.CommitSendAsync("bob", [1], [0xa1], [0xe1], unansweredContent: [0xc1]);
        await _database.CommitSendAsync("bob", [2], [0xa2], [0xe2], unansweredContent: [0xc2]);

        var entry = await _database.CommitNewSessionAsync("bob", [1, 2, 3], [8], [9], new ReceivedContent([0xb1], [0x42], 1, 0), [([0xa3], [0xe3]), ([0xa4], [0xe4])]);

        Assert.Equal("bob", entry?.Contact);
        Assert.Equal([9], await _database.LoadSessionAsync("bob"));
        Assert.Equal([[0xe3], [0xe4]], (await _database.PendingAsync()).Select(p => p.Envelope));
        Assert.Empty(await _database.UnansweredContentAsync("bob"));
    }

    [Fact]
    public async Task Removing_a_contact_erases_what_was_kept_of_its_unanswered_messages()
    {
        var content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(64);
        await _database.CommitSendAsync("bob", [1], [0xa1], [0xe1], unansweredContent: content);

        Assert.True(await _database.RemoveContactAsync("bob"));

        Assert.Empty(await _database.UnansweredContentAsync("bob"));
        await Eventually.TrueAsync(() => !FilesContain(content), Timeouts.Token());
    }

    /// <summary>Whether <paramref name="secret"/> is anywhere in the database, its WAL or its shared-memory file.</summary>
    private bool FilesContain(byte[] secret) =>
        Directory.GetFiles(Path.GetDirectoryName(_path)!, Path.GetFileName(_path) + "*").Any(path =>
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray().AsSpan().IndexOf(secret) >= 0;
        });
}
