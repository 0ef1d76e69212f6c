using Microsoft.Data.Sqlite;

namespace Dione.Storage;

/// <summary>
/// Brings one store's tables to the version its code knows. The versions live in the table <c>schema_versions</c>
/// (one row per store); a store without a row is at version 0 (a new file, or one written before versions were
/// recorded, whose tables migration 1 creates only if they are missing).
/// </summary>
internal static class SchemaMigrator
{
    private const string VersionTable = """
        CREATE TABLE IF NOT EXISTS schema_versions (
            store TEXT PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL);
        """;

    /// <summary>Runs, inside <paramref name="transaction"/>, the migrations the file does not hold yet.</summary>
    /// <returns>The version the store's tables were at before.</returns>
    public static async Task<long> MigrateAsync(
        SqliteStoreConnection database, SqliteTransaction transaction, string databasePath, StoreSchema schema, CancellationToken cancellationToken)
    {
        await using (var create = database.Command(VersionTable, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        long found;
        await using (var select = database.Command("SELECT version FROM schema_versions WHERE store = $store", transaction, ("$store", schema.Name)))
        {
            found = await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long version ? version : 0;
        }
        if (found > schema.Version)
        {
            throw new SchemaTooNewException(databasePath, schema.Name, found, schema.Version);
        }
        for (var version = (int)found + 1; version <= schema.Version; version++)
        {
            await using var migrate = database.Command(schema.Migrations[version - 1], transaction);
            await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        if (found < schema.Version)
        {
            await using var record = database.Command(
                "INSERT INTO schema_versions (store, version) VALUES ($store, $version) "
                + "ON CONFLICT (store) DO UPDATE SET version = excluded.version",
                transaction,
                ("$store", schema.Name),
                ("$version", schema.Version));
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return found;
    }
}
