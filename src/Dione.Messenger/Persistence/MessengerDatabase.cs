using Dione.Storage;
using Microsoft.Data.Sqlite;

namespace Dione.Messenger.Persistence;

/// <summary>
/// A repo's messaging state in one SQLite database: the identity and prekeys, contacts, one ratchet session per
/// contact, the outbox and the inbox. Every change that pairs a new ratchet state with what it produced (an envelope
/// to send, a message received) is one transaction, so a crash at any moment leaves either both or neither: a message
/// key is never used twice, and a message is never lost after its state advanced.
/// </summary>
public sealed class MessengerDatabase : IAsyncDisposable
{
    /// <summary>The messenger's tables; a change to them is a new migration at the end of this list.</summary>
    private static readonly StoreSchema Schema = new("dione_messenger", [
        """
            CREATE TABLE IF NOT EXISTS dione_identity (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                identity BLOB NOT NULL,
                prekeys BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS dione_contacts (
                name TEXT PRIMARY KEY,
                identity_key BLOB NOT NULL UNIQUE,
                added_unix INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS dione_sessions (
                contact TEXT PRIMARY KEY REFERENCES dione_contacts (name) ON DELETE CASCADE,
                state BLOB NOT NULL,
                updated_unix INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS dione_outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                contact TEXT NOT NULL,
                address BLOB NOT NULL UNIQUE,
                envelope BLOB NOT NULL,
                created_unix INTEGER NOT NULL,
                acks INTEGER NOT NULL DEFAULT 0,
                attempts INTEGER NOT NULL DEFAULT 0,
                done INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS dione_inbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                contact TEXT NOT NULL,
                address BLOB NOT NULL UNIQUE,
                body BLOB NOT NULL,
                received_unix INTEGER NOT NULL,
                sequence INTEGER NOT NULL DEFAULT 0,
                sent_unix_ms INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS dione_meta (
                name TEXT PRIMARY KEY,
                value BLOB NOT NULL);
            """,
        // 2: the random deletion token of each prekey publication, so only this node (restarted or not) can replace it.
        """
            CREATE TABLE dione_prekey_publications (
                address BLOB PRIMARY KEY,
                deletion_token BLOB NOT NULL,
                expires_unix INTEGER NOT NULL);
            """,
        // 3: how many messages went to each contact, the per-contact MessageContent.sequence (it was the outbox id,
        // which told every contact how many messages went to others). It continues from the highest id the contact saw.
        """
            ALTER TABLE dione_contacts ADD COLUMN sent_messages INTEGER NOT NULL DEFAULT 0;
            UPDATE dione_contacts SET sent_messages = COALESCE((SELECT MAX(id) FROM dione_outbox WHERE dione_outbox.contact = dione_contacts.name), 0);
            """,
        // 4: the plaintext (MessageContent) of each message sent on a session the contact has not answered yet, so that
        // when a simultaneous first contact drops that session the messages are sent again on the one that won. Erased
        // as soon as the session opens a message from the contact, or is dropped.
        """
            ALTER TABLE dione_outbox ADD COLUMN unanswered_content BLOB;
            """,
    ]);

    /// <summary>The version of the messenger's tables this code writes (<c>schema_versions</c>, store <c>dione_messenger</c>).</summary>
    public static int SchemaVersion => Schema.Version;

    private readonly SqliteStoreConnection _database;
    private readonly TimeProvider _time;
    private readonly DeferredWalTruncation _walTruncation;

    private MessengerDatabase(SqliteStoreConnection database, TimeProvider time)
    {
        _database = database;
        _time = time;
        _walTruncation = new DeferredWalTruncation(database);
    }

    /// <summary>How many times the WAL was truncated after writes of key material (a burst of writes shares one): for tests.</summary>
    internal long WalTruncations => _walTruncation.Truncations;

    /// <summary>
    /// Opens (creating if needed) the messaging tables in the database at <paramref name="path"/> (or <c>:memory:</c>),
    /// migrating them to this code's version. Every commit is fsync'd before it returns
    /// (<see cref="CommitDurability.Synced"/>): a ratchet state must never go back once its envelope has left the node.
    /// Key material that a write replaces or deletes (chain keys, used prekeys, a removed contact's session) is zeroed
    /// in the database pages (<c>secure_delete</c>) and, a moment after the write, the WAL holding its old pages is
    /// truncated (<see cref="DeferredWalTruncation"/>).
    /// </summary>
    /// <exception cref="SchemaTooNewException">the file was written by a newer build.</exception>
    public static async Task<MessengerDatabase> OpenAsync(string path, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var database = await SqliteStoreConnection.OpenAsync(path, Schema, CommitDurability.Synced, eraseDeleted: true, cancellationToken).ConfigureAwait(false);
        try
        {
            // Per connection, and a no-op inside a transaction: so set here, after the migrations.
            await using var foreignKeys = database.Command("PRAGMA foreign_keys = ON", transaction: null);
            await foreignKeys.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new(database, time ?? TimeProvider.System);
    }

    /// <summary>The serialised identity and prekey store, or null before the first <see cref="StoreIdentityIfAbsentAsync"/>.</summary>
    public Task<(byte[] Identity, byte[] Prekeys)?> LoadIdentityAsync(CancellationToken cancellationToken = default) =>
        _database.RunAsync<(byte[], byte[])?>(async () =>
        {
            await using var select = _database.Command("SELECT identity, prekeys FROM dione_identity WHERE id = 1", null);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ((byte[])reader.GetValue(0), (byte[])reader.GetValue(1)) : null;
        }, cancellationToken);

    /// <summary>
    /// Stores the serialised identity and prekey store unless an identity is stored already, and returns what is stored
    /// then, in one transaction: an identity once written is never replaced, so when two processes create one at the
    /// same time both go on with the one that was written first.
    /// </summary>
    public Task<(byte[] Identity, byte[] Prekeys)> StoreIdentityIfAbsentAsync(byte[] identity, byte[] prekeys, CancellationToken cancellationToken = default) =>
        _database.RunInTransactionAsync<(byte[], byte[])>(async transaction =>
        {
            await using (var insert = _database.Command("INSERT INTO dione_identity (id, identity, prekeys) VALUES (1, $identity, $prekeys) ON CONFLICT (id) DO NOTHING",
                transaction, ("$identity", identity), ("$prekeys", prekeys)))
            {
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await using var select = _database.Command("SELECT identity, prekeys FROM dione_identity WHERE id = 1", transaction);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return ((byte[])reader.GetValue(0), (byte[])reader.GetValue(1));
        }, () => Task.CompletedTask, cancellationToken);

    /// <summary>
    /// Stores <paramref name="identity"/> and <paramref name="prekeys"/> in place of whatever identity is stored, and in
    /// the same transaction deletes everything that belonged to the one before: contacts, sessions, outbox, inbox, the
    /// deletion tokens of its prekey publications and every small named value (poll times, publication bookkeeping).
    /// For an identity restored from a backup; the erased key material is zeroed like any other.
    /// </summary>
    public Task ReplaceIdentityAsync(byte[] identity, byte[] prekeys, CancellationToken cancellationToken = default) =>
        ErasingReplacedKeysAsync(_database.RunInTransactionAsync(async transaction =>
        {
            foreach (var table in new[] { "dione_sessions", "dione_contacts", "dione_outbox", "dione_inbox", "dione_prekey_publications", "dione_meta" })
            {
                await using var delete = _database.Command($"DELETE FROM {table}", transaction);
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await using var upsert = _database.Command(
                "INSERT INTO dione_identity (id, identity, prekeys) VALUES (1, $identity, $prekeys) "
                + "ON CONFLICT (id) DO UPDATE SET identity = excluded.identity, prekeys = excluded.prekeys",
                transaction, ("$identity", identity), ("$prekeys", prekeys));
            return await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, () => Task.CompletedTask, cancellationToken));

    /// <summary>Adds a contact.</summary>
    /// <exception cref="InvalidOperationException">the name or the identity key is already a contact.</exception>
    public async Task AddContactAsync(string name, byte[] identityKey, CancellationToken cancellationToken = default)
    {
        try
        {
            await ExecuteAsync("INSERT INTO dione_contacts (name, identity_key, added_unix) VALUES ($name, $key, $now)",
                cancellationToken, ("$name", name), ("$key", identityKey), ("$now", Now)).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw new InvalidOperationException($"a contact with this name or address already exists", e);
        }
    }

    /// <summary>
    /// Removes a contact and its session, and erases the kept content of messages sent on that session; returns false
    /// when there was none by that name.
    /// </summary>
    public async Task<bool> RemoveContactAsync(string name, CancellationToken cancellationToken = default) =>
        await ErasingReplacedKeysAsync(_database.RunInTransactionAsync(async transaction =>
        {
            await EraseUnansweredAsync(transaction, name, cancellationToken).ConfigureAwait(false);
            await using var delete = _database.Command("DELETE FROM dione_contacts WHERE name = $name", transaction, ("$name", name));
            return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, () => Task.CompletedTask, cancellationToken)).ConfigureAwait(false) > 0;

    /// <summary>
    /// Gives the contact <paramref name="oldName"/> the name <paramref name="newName"/>, in one transaction with
    /// everything that refers to a contact by name: its session, its outbox entries and its inbox entries. Returns
    /// false when there is no contact named <paramref name="oldName"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">another contact is named <paramref name="newName"/>.</exception>
    public async Task<bool> RenameContactAsync(string oldName, string newName, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _database.RunInTransactionAsync(async transaction =>
            {
                // The session's foreign key names the contact, so it is checked at the commit, once both moved.
                await using (var defer = _database.Command("PRAGMA defer_foreign_keys = ON", transaction))
                {
                    await defer.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                await using (var contact = _database.Command("UPDATE dione_contacts SET name = $new WHERE name = $old", transaction, ("$old", oldName), ("$new", newName)))
                {
                    if (await contact.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                    {
                        return false;
                    }
                }
                foreach (var table in new[] { "dione_sessions", "dione_outbox", "dione_inbox" })
                {
                    await using var references = _database.Command($"UPDATE {table} SET contact = $new WHERE contact = $old", transaction, ("$old", oldName), ("$new", newName));
                    await references.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                return true;
            }, () => Task.CompletedTask, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw new InvalidOperationException($"a contact named '{newName}' already exists", e);
        }
    }

    public Task<IReadOnlyList<ContactEntry>> ContactsAsync(CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT name, identity_key, added_unix FROM dione_contacts ORDER BY name", cancellationToken,
            r => new ContactEntry(r.GetString(0), (byte[])r.GetValue(1), DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(2))));

    /// <summary>The serialised ratchet session with <paramref name="contact"/>, or null.</summary>
    public async Task<byte[]?> LoadSessionAsync(string contact, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT state FROM dione_sessions WHERE contact = $contact", cancellationToken, r => (byte[])r.GetValue(0),
            ("$contact", contact)).ConfigureAwait(false)).FirstOrDefault();

    /// <summary>Every session, for polling: contact name and serialised state.</summary>
    public Task<IReadOnlyList<(string Contact, byte[] State)>> SessionsAsync(CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT contact, state FROM dione_sessions ORDER BY contact", cancellationToken, r => (r.GetString(0), (byte[])r.GetValue(1)));

    /// <summary>
    /// In one transaction: the session's new state and the envelope it produced, queued in the outbox, and the
    /// contact's count of sent messages (<see cref="NextSequenceAsync"/>) moved on by one. Call this before the
    /// envelope leaves the node.
    /// </summary>
    /// <param name="unansweredContent">
    /// The message's plaintext when the session has not opened anything from the contact yet: kept until it does
    /// (<see cref="UnansweredContentAsync"/>), so the message can be sent again if the contact's own session wins.
    /// </param>
    /// <returns>The outbox id of the envelope.</returns>
    public Task<long> CommitSendAsync(
        string contact, byte[] newState, byte[] address, byte[] envelope, byte[]? unansweredContent = null, CancellationToken cancellationToken = default) =>
        ErasingReplacedKeysAsync(_database.RunInTransactionAsync(async transaction =>
        {
            await SaveSessionAsync(transaction, contact, newState, cancellationToken).ConfigureAwait(false);
            await using (var count = _database.Command(
                "UPDATE dione_contacts SET sent_messages = sent_messages + 1 WHERE name = $contact", transaction, ("$contact", contact)))
            {
                await count.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            return await QueueAsync(transaction, contact, address, envelope, unansweredContent, cancellationToken).ConfigureAwait(false);
        }, () => Task.CompletedTask, cancellationToken));

    /// <summary>
    /// The plaintexts of the messages sent to <paramref name="contact"/> on a session that has not opened anything
    /// from them yet, in the order they were sent (see <see cref="CommitSendAsync"/>).
    /// </summary>
    public Task<IReadOnlyList<byte[]>> UnansweredContentAsync(string contact, CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT unanswered_content FROM dione_outbox WHERE contact = $contact AND unanswered_content IS NOT NULL ORDER BY id",
            cancellationToken, r => (byte[])r.GetValue(0), ("$contact", contact));

    /// <summary>
    /// In one transaction: the session's new state and the message it decrypted. A message whose address is already
    /// in the inbox is a duplicate: nothing changes and false is returned.
    /// </summary>
    public Task<bool> CommitReceiveAsync(string contact, byte[] newState, byte[] address, byte[] body, CancellationToken cancellationToken = default) =>
        CommitReceiveAsync(contact, newState, new ReceivedContent(address, body, 0, 0), cancellationToken);

    /// <summary>As <see cref="CommitReceiveAsync(string, byte[], byte[], byte[], CancellationToken)"/>, with the sender's order of the message.</summary>
    public Task<bool> CommitReceiveAsync(string contact, byte[] newState, ReceivedContent message, CancellationToken cancellationToken = default) =>
        ErasingReplacedKeysAsync(_database.RunInTransactionAsync(async transaction =>
        {
            if (await InsertInboxAsync(transaction, contact, message, cancellationToken).ConfigureAwait(false) is null)
            {
                return false;
            }
            await SaveSessionAsync(transaction, contact, newState, cancellationToken).ConfigureAwait(false);
            await EraseUnansweredAsync(transaction, contact, cancellationToken).ConfigureAwait(false);
            return true;
        }, () => Task.CompletedTask, cancellationToken));

    /// <summary>
    /// In one transaction: the session's state after opening several messages, and those messages in the given order
    /// (duplicates skipped). Returns the inbox entries of the messages that were new. A session that opened a message
    /// is one the contact has: the kept content of what was sent on it (<see cref="CommitSendAsync"/>) is erased.
    /// </summary>
    public Task<IReadOnlyList<InboxEntry>> CommitReceiveBatchAsync(
        string contact, byte[] newState, IReadOnlyList<ReceivedContent> messages, CancellationToken cancellationToken = default) =>
        ErasingReplacedKeysAsync(_database.RunInTransactionAsync<IReadOnlyList<InboxEntry>>(async transaction =>
        {
            var added = new List<InboxEntry>();
            foreach (var message in messages)
            {
                if (await InsertInboxAsync(transaction, contact, message, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    added.Add(entry);
                }
            }
            await SaveSessionAsync(transaction, contact, newState, cancellationToken).ConfigureAwait(false);
            await EraseUnansweredAsync(transaction, contact, cancellationToken).ConfigureAwait(false);
            return added;
        }, () => Task.CompletedTask, cancellationToken));

    /// <summary>Points an outbox entry at another address and envelope (an intro carrier moved to a free slot).</summary>
    public Task ReplaceOutboxEnvelopeAsync(long id, byte[] address, byte[] envelope, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE dione_outbox SET address = $address, envelope = $envelope, acks = 0 WHERE id = $id",
            cancellationToken, ("$id", id), ("$address", address), ("$envelope", envelope));

    /// <summary>
    /// The sequence number of the next message to <paramref name="contact"/>: 1, 2, 3… per contact (one more than the
    /// messages committed to it by <see cref="CommitSendAsync"/>), so a contact learns nothing of messages to others.
    /// </summary>
    /// <exception cref="InvalidOperationException">no contact has that name.</exception>
    public async Task<long> NextSequenceAsync(string contact, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT sent_messages + 1 FROM dione_contacts WHERE name = $contact", cancellationToken, r => r.GetInt64(0), ("$contact", contact))
            .ConfigureAwait(false)) is [var next] ? next : throw new InvalidOperationException($"no contact named '{contact}'");

    /// <summary>
    /// In one transaction, a session someone else started: the contact (added under <paramref name="contact"/> when no
    /// contact has <paramref name="identityKey"/>), the prekey store that consumed the intro, the new session and its
    /// first message. The session it replaces, if any, is dropped with its outbox entries that still wait for an answer
    /// (they are given up, and their kept content erased), and <paramref name="resent"/> (those messages encrypted
    /// again on the new session, in order) is queued instead. Returns the message's inbox entry (under the contact's
    /// name), or null when it was already received.
    /// </summary>
    public Task<InboxEntry?> CommitNewSessionAsync(
        string contact, byte[] identityKey, byte[] prekeys, byte[] sessionState, ReceivedContent message,
        IReadOnlyList<(byte[] Address, byte[] Envelope)> resent, CancellationToken cancellationToken = default) =>
        ErasingReplacedKeysAsync(_database.RunInTransactionAsync<InboxEntry?>(async transaction =>
        {
            await using (var find = _database.Command("SELECT name FROM dione_contacts WHERE identity_key = $key", transaction, ("$key", identityKey)))
            {
                if (await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string existing)
                {
                    contact = existing;
                }
                else
                {
                    await using var add = _database.Command("INSERT INTO dione_contacts (name, identity_key, added_unix) VALUES ($name, $key, $now)",
                        transaction, ("$name", contact), ("$key", identityKey), ("$now", Now));
                    await add.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            if (await InsertInboxAsync(transaction, contact, message, cancellationToken).ConfigureAwait(false) is not { } entry)
            {
                return null;
            }
            await using (var save = _database.Command("UPDATE dione_identity SET prekeys = $prekeys WHERE id = 1", transaction, ("$prekeys", prekeys)))
            {
                await save.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await SaveSessionAsync(transaction, contact, sessionState, cancellationToken).ConfigureAwait(false);
            await using (var giveUp = _database.Command(
                "UPDATE dione_outbox SET done = 1, unanswered_content = NULL WHERE contact = $contact AND unanswered_content IS NOT NULL",
                transaction, ("$contact", contact)))
            {
                await giveUp.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            foreach (var (address, envelope) in resent)
            {
                await QueueAsync(transaction, contact, address, envelope, unansweredContent: null, cancellationToken).ConfigureAwait(false);
            }
            return entry;
        }, () => Task.CompletedTask, cancellationToken));

    /// <summary>
    /// Sessions others started that were never answered: contacts with a session to whom no message was ever sent
    /// (whoever starts a session sends its first message, so these sessions were all started by the other side).
    /// </summary>
    public async Task<long> UnansweredSessionsAsync(CancellationToken cancellationToken = default) =>
        (await QueryAsync(
            "SELECT COUNT(*) FROM dione_sessions JOIN dione_contacts ON dione_contacts.name = dione_sessions.contact WHERE dione_contacts.sent_messages = 0",
            cancellationToken, r => r.GetInt64(0)).ConfigureAwait(false))[0];

    /// <summary>Saves the prekey store on its own (after rotation or new one-time prekeys).</summary>
    public Task SavePrekeysAsync(byte[] prekeys, CancellationToken cancellationToken = default) =>
        ErasingReplacedKeysAsync(ExecuteAsync("UPDATE dione_identity SET prekeys = $prekeys WHERE id = 1", cancellationToken, ("$prekeys", prekeys)));

    /// <summary>The deletion token of this node's prekey publication at <paramref name="address"/>, or null when none is remembered.</summary>
    public async Task<byte[]?> PrekeyDeletionTokenAsync(byte[] address, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT deletion_token FROM dione_prekey_publications WHERE address = $address", cancellationToken,
            r => (byte[])r.GetValue(0), ("$address", address)).ConfigureAwait(false)).FirstOrDefault();

    /// <summary>
    /// Remembers the deletion token of the publication about to be stored at <paramref name="address"/> (replacing the
    /// previous one there), and forgets the tokens of publications the holders have dropped by now.
    /// </summary>
    public Task SavePrekeyDeletionTokenAsync(byte[] address, byte[] token, DateTimeOffset expires, CancellationToken cancellationToken = default) =>
        _database.RunInTransactionAsync(async transaction =>
        {
            await using (var prune = _database.Command("DELETE FROM dione_prekey_publications WHERE expires_unix < $now", transaction, ("$now", Now)))
            {
                await prune.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await using var upsert = _database.Command(
                "INSERT INTO dione_prekey_publications (address, deletion_token, expires_unix) VALUES ($address, $token, $expires) "
                + "ON CONFLICT (address) DO UPDATE SET deletion_token = excluded.deletion_token, expires_unix = excluded.expires_unix",
                transaction, ("$address", address), ("$token", token), ("$expires", expires.ToUnixTimeSeconds()));
            return await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, () => Task.CompletedTask, cancellationToken);

    /// <summary>A small named value (poll times, publication bookkeeping), or null.</summary>
    public async Task<byte[]?> GetMetaAsync(string name, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT value FROM dione_meta WHERE name = $name", cancellationToken, r => (byte[])r.GetValue(0), ("$name", name)).ConfigureAwait(false))
            .FirstOrDefault();

    public Task SetMetaAsync(string name, byte[] value, CancellationToken cancellationToken = default) =>
        ExecuteAsync("INSERT INTO dione_meta (name, value) VALUES ($name, $value) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            cancellationToken, ("$name", name), ("$value", value));

    /// <summary>Removes a small named value; nothing happens when there is none.</summary>
    public Task DeleteMetaAsync(string name, CancellationToken cancellationToken = default) =>
        ExecuteAsync("DELETE FROM dione_meta WHERE name = $name", cancellationToken, ("$name", name));

    /// <summary>The contact whose identity key is <paramref name="identityKey"/>, or null.</summary>
    public async Task<ContactEntry?> FindContactByKeyAsync(byte[] identityKey, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT name, identity_key, added_unix FROM dione_contacts WHERE identity_key = $key", cancellationToken,
            r => new ContactEntry(r.GetString(0), (byte[])r.GetValue(1), DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(2))), ("$key", identityKey)).ConfigureAwait(false))
            .FirstOrDefault();

    /// <summary>The contact named <paramref name="name"/>, or null.</summary>
    public async Task<ContactEntry?> FindContactAsync(string name, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT name, identity_key, added_unix FROM dione_contacts WHERE name = $name", cancellationToken,
            r => new ContactEntry(r.GetString(0), (byte[])r.GetValue(1), DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(2))), ("$name", name)).ConfigureAwait(false))
            .FirstOrDefault();

    /// <summary>How many envelopes wait in the outbox, messages are in the inbox, and sessions exist.</summary>
    public async Task<(long Pending, long Received, long Sessions)> CountsAsync(CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT (SELECT COUNT(*) FROM dione_outbox WHERE done = 0), (SELECT COUNT(*) FROM dione_inbox), (SELECT COUNT(*) FROM dione_sessions)",
            cancellationToken, r => (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2))).ConfigureAwait(false))[0];

    /// <summary>Saves a session state on its own (after a session is set up, or a poll that only moved its window).</summary>
    public Task SaveSessionAsync(string contact, byte[] state, CancellationToken cancellationToken = default) =>
        ErasingReplacedKeysAsync(_database.RunInTransactionAsync(async transaction =>
        {
            await SaveSessionAsync(transaction, contact, state, cancellationToken).ConfigureAwait(false);
            return 0;
        }, () => Task.CompletedTask, cancellationToken));

    /// <summary>Envelopes not yet acknowledged by enough holders, oldest first.</summary>
    public Task<IReadOnlyList<OutboxEntry>> PendingAsync(CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT id, contact, address, envelope, created_unix, acks, attempts FROM dione_outbox WHERE done = 0 ORDER BY id",
            cancellationToken, r => new OutboxEntry(r.GetInt64(0), r.GetString(1), (byte[])r.GetValue(2), (byte[])r.GetValue(3),
                DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(4)), r.GetInt32(5), r.GetInt32(6)));

    /// <summary>Records a store attempt of an outbox entry: how many holders acknowledged it, and whether that is enough.</summary>
    public Task RecordAttemptAsync(long id, int acknowledgements, bool done, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE dione_outbox SET attempts = attempts + 1, acks = MAX(acks, $acks), done = $done WHERE id = $id",
            cancellationToken, ("$id", id), ("$acks", acknowledgements), ("$done", done ? 1 : 0));

    /// <summary>Received messages after <paramref name="afterId"/>, in the order they were received.</summary>
    public Task<IReadOnlyList<InboxEntry>> InboxAsync(long afterId = 0, CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT id, contact, address, body, received_unix, sequence, sent_unix_ms FROM dione_inbox WHERE id > $after ORDER BY id", cancellationToken,
            ReadInbox, ("$after", afterId));

    /// <summary>Every received message, each sender's in the order it sent them (then by sending time across senders).</summary>
    public Task<IReadOnlyList<InboxEntry>> InboxInSentOrderAsync(CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT id, contact, address, body, received_unix, sequence, sent_unix_ms FROM dione_inbox ORDER BY sent_unix_ms, contact, sequence",
            cancellationToken, ReadInbox);

    private static InboxEntry ReadInbox(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), (byte[])r.GetValue(2), (byte[])r.GetValue(3), DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(4)), r.GetInt64(5),
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)));

    private async Task<InboxEntry?> InsertInboxAsync(SqliteTransaction transaction, string contact, ReceivedContent message, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var insert = _database.Command(
            "INSERT INTO dione_inbox (contact, address, body, received_unix, sequence, sent_unix_ms) VALUES ($contact, $address, $body, $now, $sequence, $sent) "
            + "ON CONFLICT (address) DO NOTHING RETURNING id",
            transaction, ("$contact", contact), ("$address", message.Address), ("$body", message.Body), ("$now", now),
            ("$sequence", message.Sequence), ("$sent", message.SentUnixMilliseconds));
        return await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long id
            ? new InboxEntry(id, contact, message.Address, message.Body, DateTimeOffset.FromUnixTimeSeconds(now), message.Sequence,
                DateTimeOffset.FromUnixTimeMilliseconds(message.SentUnixMilliseconds))
            : null;
    }

    /// <summary>Truncates the WAL a last time when a write asked for it, then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _walTruncation.DisposeAsync().ConfigureAwait(false);
        await _database.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The value of a connection setting (<c>PRAGMA name</c>) as this database's connection has it; for tests.</summary>
    internal async Task<long> PragmaAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!name.All(c => char.IsAsciiLetter(c) || c == '_'))
        {
            throw new ArgumentException($"'{name}' is not a pragma name", nameof(name));
        }
        return (await QueryAsync($"PRAGMA {name}", cancellationToken, r => r.GetInt64(0)).ConfigureAwait(false))[0];
    }

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>
    /// Waits for <paramref name="write"/>, which replaced or deleted key material, then asks for the WAL, where the old
    /// versions of the pages it changed would otherwise survive, to be truncated a moment later (<see cref="DeferredWalTruncation"/>).
    /// </summary>
    private async Task<T> ErasingReplacedKeysAsync<T>(Task<T> write)
    {
        var result = await write.ConfigureAwait(false);
        _walTruncation.Request();
        return result;
    }

    private async Task<long> QueueAsync(
        SqliteTransaction transaction, string contact, byte[] address, byte[] envelope, byte[]? unansweredContent, CancellationToken cancellationToken)
    {
        await using var insert = _database.Command(
            "INSERT INTO dione_outbox (contact, address, envelope, created_unix, unanswered_content) VALUES ($contact, $address, $envelope, $now, $content) RETURNING id",
            transaction, ("$contact", contact), ("$address", address), ("$envelope", envelope), ("$now", Now), ("$content", (object?)unansweredContent ?? DBNull.Value));
        return (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task EraseUnansweredAsync(SqliteTransaction transaction, string contact, CancellationToken cancellationToken)
    {
        await using var erase = _database.Command(
            "UPDATE dione_outbox SET unanswered_content = NULL WHERE contact = $contact AND unanswered_content IS NOT NULL", transaction, ("$contact", contact));
        await erase.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task SaveSessionAsync(SqliteTransaction transaction, string contact, byte[] state, CancellationToken cancellationToken)
    {
        await using var upsert = _database.Command(
            "INSERT INTO dione_sessions (contact, state, updated_unix) VALUES ($contact, $state, $now) "
            + "ON CONFLICT (contact) DO UPDATE SET state = excluded.state, updated_unix = excluded.updated_unix",
            transaction, ("$contact", contact), ("$state", state), ("$now", Now));
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters) =>
        _database.RunAsync(async () =>
        {
            await using var command = _database.Command(sql, null, parameters);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    private Task<IReadOnlyList<T>> QueryAsync<T>(string sql, CancellationToken cancellationToken, Func<SqliteDataReader, T> read, params (string Name, object Value)[] parameters) =>
        _database.RunAsync<IReadOnlyList<T>>(async () =>
        {
            await using var command = _database.Command(sql, null, parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(read(reader));
            }
            return rows;
        }, cancellationToken);
}
