using System.Text;
using System.Text.Json;
using Dione.Kademlia.Records;
using Dione.Messaging.Identity;
using Dione.Messaging.Sessions;
using Dione.Messaging.X3dh;
using Dione.Messenger.Persistence;
using Dione.Messenger.Store;
using Dione.Storage;
using Microsoft.Data.Sqlite;

namespace Dione.Messenger.Tests.Persistence;

/// <summary>
/// A node's datastore.db written by an earlier build opens with this one: the fixtures in Fixtures/ were written by
/// main before schema versions existed (see Fixtures/README.md), by two real daemons that messaged each other.
/// </summary>
public sealed class DatastoreMigrationTests : IDisposable
{
    // A little after the fixtures were written, so that nothing in them has expired by a clock the test does not own.
    private static readonly DateTimeOffset FixtureTime = DateTimeOffset.Parse("2026-12-07T17:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private readonly string _folder = Directory.CreateTempSubdirectory("dione-migration-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_datastore_from_main_keeps_its_identity_contacts_inbox_and_sessions()
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(FixturePath("main-9f8251a.json")));
        var alicePath = CopyFixture("alice.datastore.db");
        var bobPath = CopyFixture("bob.datastore.db");

        await using var alice = await MessengerDatabase.OpenAsync(alicePath);
        await using var bob = await MessengerDatabase.OpenAsync(bobPath);

        foreach (var (database, person) in new[] { (alice, "Alice"), (bob, "Bob") })
        {
            var want = expected.RootElement.GetProperty(person);
            Assert.Equal(want.GetProperty("DioneAddress").GetString(), await AddressAsync(database));
            Assert.Equal(
                want.GetProperty("Contacts").EnumerateObject().Select(c => (c.Name, c.Value.GetString()!)),
                (await database.ContactsAsync()).Select(c => (c.Name, DioneAddress.Format(IdentityKey.FromEd25519(c.IdentityKey)))));
            Assert.Equal(
                want.GetProperty("Inbox").EnumerateArray().Select(m => m.GetString()),
                (await database.InboxAsync()).Select(m => Encoding.UTF8.GetString(m.Body)));
        }
        var aliceAddress = expected.RootElement.GetProperty("Alice").GetProperty("DioneAddress").GetString()!;

        // The ratchet sessions survived: Alice's seals an envelope that Bob's opens, in both directions.
        var aliceSession = DioneSession.Restore(await alice.LoadSessionAsync("bob"));
        var bobSession = DioneSession.Restore(await bob.LoadSessionAsync(aliceAddress));
        var toBob = aliceSession.Encrypt("written after the upgrade"u8, FixtureTime);
        Assert.Equal("written after the upgrade"u8.ToArray(), bobSession.Open(toBob.ToBytes(), FixtureTime).Plaintext);
        var toAlice = bobSession.Encrypt("read after the upgrade"u8, FixtureTime);
        Assert.Equal("read after the upgrade"u8.ToArray(), aliceSession.Open(toAlice.ToBytes(), FixtureTime).Plaintext);

        // The prekey store still parses.
        var (_, prekeys) = (await alice.LoadIdentityAsync())!.Value;
        Assert.NotNull(PrekeyStore.FromBytes(prekeys));
    }

    [Fact]
    public async Task Every_store_in_a_datastore_from_main_opens_and_records_its_current_version()
    {
        var path = CopyFixture("alice.datastore.db");
        Assert.True((long)(await ScalarAsync(path, "SELECT SUM(length(stored_by)) FROM dione_envelopes"))! > 0);

        await using (var messenger = await MessengerDatabase.OpenAsync(path))
        await using (var envelopes = await SqliteEnvelopeStore.OpenAsync(path))
        await using (var records = await SqliteRecordStore.OpenAsync(path))
        await using (var providers = await SqliteProviderStore.OpenAsync(path))
        await using (var provided = await SqliteProvidedKeyStore.OpenAsync(path))
        {
            Assert.Equal((0L, 1L, 1L), await messenger.CountsAsync());
            Assert.Equal(2, envelopes.Count);
            Assert.Equal(0, envelopes.Tombstones);
        }

        Assert.Equal(
            [("dione_envelopes", (long)SqliteEnvelopeStore.SchemaVersion), ("dione_messenger", (long)MessengerDatabase.SchemaVersion), ("kad_provided", 1L), ("kad_providers", 1L), ("kad_records", 1L)],
            await SchemaVersionsAsync(path));
        Assert.Equal(0L, await ScalarAsync(path, "SELECT SUM(length(stored_by)) FROM dione_envelopes")); // who stored what is forgotten
    }

    [Fact]
    public async Task A_contact_s_message_count_continues_from_the_highest_outbox_id_it_was_sent()
    {
        var path = CopyFixture("alice.datastore.db");
        var highest = (long)(await ScalarAsync(path, "SELECT MAX(id) FROM dione_outbox WHERE contact = 'bob'"))!;
        Assert.True(highest > 0);

        await using var alice = await MessengerDatabase.OpenAsync(path);

        Assert.Equal(highest + 1, await alice.NextSequenceAsync("bob"));
    }

    [Fact]
    public async Task A_datastore_written_by_a_newer_build_is_refused_and_left_as_it_was()
    {
        var path = Path.Combine(_folder, "datastore.db");
        await (await MessengerDatabase.OpenAsync(path)).DisposeAsync();
        await ExecuteAsync(path, "UPDATE schema_versions SET version = 7 WHERE store = 'dione_messenger'");

        var refused = await Assert.ThrowsAsync<SchemaTooNewException>(() => MessengerDatabase.OpenAsync(path));

        Assert.Equal(("dione_messenger", 7L, MessengerDatabase.SchemaVersion), (refused.Store, refused.FoundVersion, refused.KnownVersion));
        Assert.Contains("schema version 7", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"understands versions up to {MessengerDatabase.SchemaVersion}", refused.Message, StringComparison.Ordinal);
        Assert.Contains(("dione_messenger", 7L), await SchemaVersionsAsync(path));
    }

    private static async Task<string> AddressAsync(MessengerDatabase database)
    {
        var (seed, _) = (await database.LoadIdentityAsync())!.Value;
        return DioneAddress.Format(DioneIdentity.FromSeed(seed).PublicKey);
    }

    private static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Persistence", "Fixtures", name);

    private string CopyFixture(string name)
    {
        var path = Path.Combine(_folder, name);
        File.Copy(FixturePath(name), path);
        return path;
    }

    private static async Task<List<(string, long)>> SchemaVersionsAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT store, version FROM schema_versions ORDER BY store";
        await using var reader = await select.ExecuteReaderAsync();
        var versions = new List<(string, long)>();
        while (await reader.ReadAsync())
        {
            versions.Add((reader.GetString(0), reader.GetInt64(1)));
        }
        return versions;
    }

    private static async Task<object?> ScalarAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private static Task ExecuteAsync(string path, string sql) => ScalarAsync(path, sql);
}
