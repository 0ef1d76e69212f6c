using Microsoft.Data.Sqlite;

namespace Dione.Storage;

/// <summary>
/// One SQLite connection owned by one store (the DHT's record and provider stores, Dione's envelope store, the
/// messenger's state), with every use serialized by a gate so that a store's bookkeeping and its transactions never
/// interleave. The database is a file (WAL journal) or, for <c>:memory:</c>, a private in-memory database that lives
/// as long as this connection. Opening brings the store's tables to its <see cref="StoreSchema"/> version first.
/// </summary>
public sealed class SqliteStoreConnection : IAsyncDisposable
{
    /// <summary>How long a statement waits for another connection's lock on the same file.</summary>
    public const int BusyTimeoutSeconds = 10;

    public const string InMemory = ":memory:";

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    static SqliteStoreConnection() => SQLitePCL.Batteries_V2.Init();

    private SqliteStoreConnection(SqliteConnection connection) => _connection = connection;

    /// <summary>
    /// Opens the database at <paramref name="databasePath"/> (a file, created if needed, or <c>:memory:</c>) and, in
    /// one transaction, applies the migrations of <paramref name="schema"/> that it does not hold yet. A database file
    /// and its WAL and shared-memory files are readable and writable by their owner only (0600), from creation.
    /// </summary>
    /// <param name="eraseDeleted">
    /// <c>secure_delete</c> on this connection: what its statements delete or overwrite is zeroed in the pages instead
    /// of left in free space. For key material, together with <see cref="TruncateWalAsync"/> after it changed.
    /// </param>
    /// <exception cref="SchemaTooNewException">the file holds the store's tables at a newer version than
    /// <paramref name="schema"/> knows.</exception>
    public static async Task<SqliteStoreConnection> OpenAsync(
        string databasePath, StoreSchema schema, CommitDurability durability = CommitDurability.Normal, bool eraseDeleted = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        ArgumentNullException.ThrowIfNull(schema);
        if (databasePath != InMemory)
        {
            OwnerOnlyFiles.Prepare(databasePath);
        }
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        var store = new SqliteStoreConnection(connection);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // Connection settings first: journal_mode and synchronous cannot change inside a transaction.
            var synchronous = durability == CommitDurability.Synced ? "FULL" : "NORMAL";
            var setup = $"PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000};"
                + (databasePath == InMemory ? string.Empty : "PRAGMA journal_mode = WAL;")
                + $"PRAGMA synchronous = {synchronous};"
                + (eraseDeleted ? "PRAGMA secure_delete = ON;" : string.Empty);
            await using (var command = store.Command(setup, transaction: null))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await store.RunInTransactionAsync(
                transaction => SchemaMigrator.MigrateAsync(store, transaction, databasePath, schema, cancellationToken),
                () => Task.CompletedTask,
                cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> alone on this connection.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return await work().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> alone on this connection inside one <c>BEGIN IMMEDIATE</c> transaction, committed
    /// when it returns and rolled back when it or the commit throws; then, still alone, <paramref name="afterRollback"/>
    /// runs so the caller can resynchronise whatever it counted during the failed transaction.
    /// </summary>
    public Task<T> RunInTransactionAsync<T>(
        Func<SqliteTransaction, Task<T>> work, Func<Task> afterRollback, CancellationToken cancellationToken) =>
        RunAsync(
            async () =>
            {
                try
                {
                    await using var transaction = _connection.BeginTransaction(deferred: false);
                    var result = await work(transaction).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return result;
                }
                catch
                {
                    await afterRollback().ConfigureAwait(false);
                    throw;
                }
            },
            cancellationToken);

    /// <summary>
    /// Copies every committed page from the WAL into the database file and truncates the WAL to nothing
    /// (<c>wal_checkpoint(TRUNCATE)</c>): the WAL keeps the old versions of pages it logged, so what was deleted or
    /// overwritten survives there until then. Waits, up to the busy timeout, for other connections' readers; returns
    /// false when they kept it from completing (the next call catches up).
    /// </summary>
    public Task<bool> TruncateWalAsync(CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            await using var checkpoint = Command("PRAGMA wal_checkpoint(TRUNCATE)", transaction: null);
            await using var reader = await checkpoint.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            // One row: busy (1 when readers or a writer kept it from completing), WAL frames, frames checkpointed.
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && reader.GetInt64(0) == 0;
        }, cancellationToken);

    public SqliteCommand Command(string sql, SqliteTransaction? transaction, params ReadOnlySpan<(string Name, object Value)> parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.CommandTimeout = BusyTimeoutSeconds;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_disposed)
            {
                _disposed = true;
                await _connection.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
