using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Dione.Storage;

/// <summary>
/// The shape shared by stores that bound what they hold (DHT records and providers, envelopes kept for others): they
/// keep their counts in memory so that a write checks its bound without counting the table, take those counts from
/// the table when they open, and take them again after a rolled-back transaction, whose own count changes never
/// happened.
/// </summary>
public abstract class CountedSqliteStore : IAsyncDisposable
{
    protected CountedSqliteStore(SqliteStoreConnection database, TimeProvider time, ILogger logger)
    {
        Database = database;
        Time = time;
        Logger = logger;
    }

    /// <summary>The clock that expiry is measured against.</summary>
    public TimeProvider Time { get; }

    protected SqliteStoreConnection Database { get; }

    protected ILogger Logger { get; }

    public ValueTask DisposeAsync() => Database.DisposeAsync();

    /// <summary>
    /// Opens the database at <paramref name="databasePath"/> with <paramref name="schema"/>, builds the store with
    /// <paramref name="create"/> and takes its counts from the table.
    /// </summary>
    protected static async Task<TStore> OpenAsync<TStore>(
        string databasePath, StoreSchema schema, Func<SqliteStoreConnection, TStore> create, CancellationToken cancellationToken)
        where TStore : CountedSqliteStore
    {
        var database = await SqliteStoreConnection.OpenAsync(databasePath, schema, CommitDurability.Normal, cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            var store = create(database);
            await database.RunAsync(
                async () =>
                {
                    await store.RecountAsync(transaction: null, cancellationToken).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sets the in-memory counts from the table (inside <paramref name="transaction"/> when there is one).</summary>
    protected abstract Task RecountAsync(SqliteTransaction? transaction, CancellationToken cancellationToken);

    /// <summary>Deletes the rows that <paramref name="deleteSql"/> selects, inside <paramref name="transaction"/>, and
    /// takes the counts again; returns how many rows went.</summary>
    protected async Task<int> DeleteAndRecountAsync(
        string deleteSql, SqliteTransaction transaction, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Database.Command(deleteSql, transaction, parameters);
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await RecountAsync(transaction, cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>Runs <paramref name="work"/> in one transaction; after a rollback the counts are taken again.</summary>
    protected Task<T> RunInTransactionAsync<T>(Func<SqliteTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        Database.RunInTransactionAsync(work, () => RecountAsync(transaction: null, CancellationToken.None), cancellationToken);
}
