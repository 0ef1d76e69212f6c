using Microsoft.Data.Sqlite;

namespace Dione.Storage.Tests;

public sealed class SqliteStoreConnectionTests : IDisposable
{
    // Without IF NOT EXISTS: running a migration a second time would fail.
    private const string CreateA = "CREATE TABLE a (x INTEGER);";
    private const string CreateB = "CREATE TABLE b (y INTEGER);";
    private const string CreateC = "CREATE TABLE c (z INTEGER);";

    private readonly string _folder = Directory.CreateTempSubdirectory("dione-storage-").FullName;

    private string DatabasePath => Path.Combine(_folder, "datastore.db");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Migrations_run_in_order_each_once_and_the_version_is_recorded()
    {
        await (await OpenAsync(new StoreSchema("things", [CreateA, CreateB]))).DisposeAsync();
        await using (var reopened = await OpenAsync(new StoreSchema("things", [CreateA, CreateB, CreateC])))
        {
            Assert.Equal(["a", "b", "c", "schema_versions"], await TablesAsync(reopened));
        }

        Assert.Equal([("things", 3L)], await VersionsAsync());
    }

    [Fact]
    public async Task A_failing_migration_rolls_back_every_migration_of_that_open()
    {
        await (await OpenAsync(new StoreSchema("things", [CreateA]))).DisposeAsync();

        await Assert.ThrowsAsync<SqliteException>(() => OpenAsync(new StoreSchema("things", [CreateA, CreateB, "CREATE TABLE broken ("])));

        await using var reopened = await OpenAsync(new StoreSchema("things", [CreateA]));
        Assert.Equal(["a", "schema_versions"], await TablesAsync(reopened));
        Assert.Equal([("things", 1L)], await VersionsAsync());
    }

    [Fact]
    public async Task A_store_at_a_newer_version_than_the_code_knows_is_refused_untouched()
    {
        await (await OpenAsync(new StoreSchema("things", [CreateA, CreateB]))).DisposeAsync();

        var refused = await Assert.ThrowsAsync<SchemaTooNewException>(() => OpenAsync(new StoreSchema("things", [CreateA])));

        Assert.Equal(("things", 2L, 1), (refused.Store, refused.FoundVersion, refused.KnownVersion));
        Assert.Equal(
            $"{DatabasePath} holds the 'things' tables at schema version 2, but this build understands versions up to 1; "
                + "open it with the newer build that wrote it",
            refused.Message);
        Assert.Equal([("things", 2L)], await VersionsAsync());
    }

    [Fact]
    public async Task Stores_sharing_a_file_keep_their_own_versions()
    {
        await using (var first = await OpenAsync(new StoreSchema("first", [CreateA, CreateB])))
        await using (var second = await OpenAsync(new StoreSchema("second", [CreateC])))
        {
            Assert.Equal(["a", "b", "c", "schema_versions"], await TablesAsync(second));
        }

        Assert.Equal([("first", 2L), ("second", 1L)], await VersionsAsync());
    }

    [Theory]
    [InlineData(CommitDurability.Normal, 1L)]
    [InlineData(CommitDurability.Synced, 2L)]
    public async Task A_file_is_in_wal_mode_with_the_chosen_synchronous_level(CommitDurability durability, long synchronous)
    {
        await using var database = await OpenAsync(new StoreSchema("things", [CreateA]), durability);

        Assert.Equal("wal", await ScalarAsync(database, "PRAGMA journal_mode"));
        Assert.Equal(synchronous, await ScalarAsync(database, "PRAGMA synchronous"));
    }

    [Fact]
    public async Task An_in_memory_database_is_migrated_too()
    {
        await using var database = await SqliteStoreConnection.OpenAsync(SqliteStoreConnection.InMemory, new StoreSchema("things", [CreateA]));

        Assert.Equal(["a", "schema_versions"], await TablesAsync(database));
        Assert.Equal(1L, await ScalarAsync(database, "SELECT version FROM schema_versions WHERE store = 'things'"));
    }

    private Task<SqliteStoreConnection> OpenAsync(StoreSchema schema, CommitDurability durability = CommitDurability.Normal) =>
        SqliteStoreConnection.OpenAsync(DatabasePath, schema, durability);

    private static Task<object?> ScalarAsync(SqliteStoreConnection database, string sql) =>
        database.RunAsync(
            async () =>
            {
                await using var command = database.Command(sql, transaction: null);
                return await command.ExecuteScalarAsync();
            },
            CancellationToken.None);

    private static Task<List<string>> TablesAsync(SqliteStoreConnection database) =>
        database.RunAsync(
            async () =>
            {
                await using var command = database.Command("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", transaction: null);
                await using var reader = await command.ExecuteReaderAsync();
                var names = new List<string>();
                while (await reader.ReadAsync())
                {
                    names.Add(reader.GetString(0));
                }
                return names;
            },
            CancellationToken.None);

    private async Task<List<(string, long)>> VersionsAsync()
    {
        await using var database = await SqliteStoreConnection.OpenAsync(DatabasePath, new StoreSchema("reader", []));
        return await database.RunAsync(
            async () =>
            {
                await using var command = database.Command("SELECT store, version FROM schema_versions WHERE store != 'reader' ORDER BY store", transaction: null);
                await using var reader = await command.ExecuteReaderAsync();
                var versions = new List<(string, long)>();
                while (await reader.ReadAsync())
                {
                    versions.Add((reader.GetString(0), reader.GetInt64(1)));
                }
                return versions;
            },
            CancellationToken.None);
    }
}
