using Dione.Storage;

namespace Dione.Kademlia.Records;

/// <summary>
/// The keys this node provides, in the node's SQLite database (table <c>kad_provided</c>): one row per key with the
/// time it was last announced to the network (0 until an announcement reached a peer), so that a restarted node
/// keeps announcing what it provided before. At most <see cref="MaxKeys"/> keys are held; a new key beyond that is
/// refused with <see cref="StoreLimitException"/>.
/// </summary>
public sealed class SqliteProvidedKeyStore : IAsyncDisposable
{
    /// <summary>Most keys held by default: the provider store's default bound on distinct keys.</summary>
    public const int DefaultMaxKeys = 100_000;

    private static readonly StoreSchema Schema = new("kad_provided", [
        """
            CREATE TABLE IF NOT EXISTS kad_provided (
                key BLOB PRIMARY KEY NOT NULL,
                last_provided_unix_ms INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS kad_provided_last ON kad_provided (last_provided_unix_ms);
            """,
    ]);

    private readonly SqliteStoreConnection _database;
    private readonly int _maxKeyBytes;

    private SqliteProvidedKeyStore(SqliteStoreConnection database, int maxKeys, int maxKeyBytes)
    {
        _database = database;
        MaxKeys = maxKeys;
        _maxKeyBytes = maxKeyBytes;
    }

    /// <summary>Most keys held.</summary>
    public int MaxKeys { get; }

    /// <summary>Opens (creating if needed) the table in the database at <paramref name="databasePath"/>, a file path
    /// or <c>:memory:</c> for a private in-memory database.</summary>
    /// <param name="maxKeyBytes">Longest key accepted (rows with longer keys, written by someone else, are never returned).</param>
    public static async Task<SqliteProvidedKeyStore> OpenAsync(
        string databasePath, int maxKeys = DefaultMaxKeys, int maxKeyBytes = 80, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKeys, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKeyBytes, 1);
        var database = await SqliteStoreConnection.OpenAsync(databasePath, Schema, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new SqliteProvidedKeyStore(database, maxKeys, maxKeyBytes);
    }

    /// <summary>
    /// Remembers <paramref name="key"/> as provided by us, last announced at <paramref name="announcedAt"/> (never, when
    /// null); a key already held keeps its time.
    /// </summary>
    /// <exception cref="StoreLimitException">a new key while <see cref="MaxKeys"/> are held.</exception>
    public Task AddAsync(byte[] key, CancellationToken cancellationToken, DateTimeOffset? announcedAt = null)
    {
        CheckKey(key);
        return _database.RunInTransactionAsync(
            async transaction =>
            {
                await using (var exists = _database.Command("SELECT COUNT(*) FROM kad_provided WHERE key = $key", transaction, ("$key", key)))
                {
                    if ((long)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0)
                    {
                        return true;
                    }
                }
                await using (var count = _database.Command("SELECT COUNT(*) FROM kad_provided", transaction))
                {
                    if ((long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! >= MaxKeys)
                    {
                        throw new StoreLimitException($"already providing {MaxKeys} keys");
                    }
                }
                await using var insert = _database.Command(
                    "INSERT INTO kad_provided (key, last_provided_unix_ms) VALUES ($key, $at)",
                    transaction,
                    ("$key", key),
                    ("$at", announcedAt?.ToUnixTimeMilliseconds() ?? 0L));
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return true;
            },
            () => Task.CompletedTask,
            cancellationToken);
    }

    /// <summary>
    /// Records that <paramref name="key"/> was announced at <paramref name="at"/> (<see cref="DateTimeOffset.UnixEpoch"/>:
    /// never); false when it is not held.
    /// </summary>
    public Task<bool> MarkProvidedAsync(byte[] key, DateTimeOffset at, CancellationToken cancellationToken)
    {
        CheckKey(key);
        return _database.RunAsync(
            async () =>
            {
                await using var command = _database.Command(
                    "UPDATE kad_provided SET last_provided_unix_ms = $at WHERE key = $key",
                    transaction: null,
                    ("$key", key),
                    ("$at", at.ToUnixTimeMilliseconds()));
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            },
            cancellationToken);
    }

    /// <summary>Forgets <paramref name="key"/>; false when it was not held.</summary>
    public Task<bool> RemoveAsync(byte[] key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _database.RunAsync(
            async () =>
            {
                await using var command = _database.Command("DELETE FROM kad_provided WHERE key = $key", transaction: null, ("$key", key));
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            },
            cancellationToken);
    }

    /// <summary>
    /// Up to <paramref name="max"/> keys last announced at or before <paramref name="announcedBefore"/> (never-announced
    /// ones first, then the oldest announcement), after skipping the first <paramref name="skip"/> of them; rows that
    /// are not a valid key are left out.
    /// </summary>
    public Task<IReadOnlyList<byte[]>> GetDueAsync(DateTimeOffset announcedBefore, int max, int skip, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(skip, 0);
        return _database.RunAsync<IReadOnlyList<byte[]>>(
            async () =>
            {
                await using var command = _database.Command(
                    """
                    SELECT key FROM kad_provided
                    WHERE typeof(key) = 'blob' AND length(key) BETWEEN 1 AND $maxKeyBytes
                        AND (typeof(last_provided_unix_ms) != 'integer' OR last_provided_unix_ms <= $before)
                    ORDER BY typeof(last_provided_unix_ms) = 'integer', last_provided_unix_ms, key
                    LIMIT $max OFFSET $skip
                    """,
                    transaction: null,
                    ("$maxKeyBytes", _maxKeyBytes),
                    ("$before", announcedBefore.ToUnixTimeMilliseconds()),
                    ("$max", max),
                    ("$skip", skip));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var keys = new List<byte[]>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    keys.Add(reader.GetFieldValue<byte[]>(0));
                }
                return keys;
            },
            cancellationToken);
    }

    /// <summary>Keys held.</summary>
    public Task<long> CountAsync(CancellationToken cancellationToken) =>
        _database.RunAsync(
            async () =>
            {
                await using var command = _database.Command("SELECT COUNT(*) FROM kad_provided", transaction: null);
                return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            },
            cancellationToken);

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private void CheckKey(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0 || key.Length > _maxKeyBytes)
        {
            throw new ArgumentException($"a provided key has 1 to {_maxKeyBytes} bytes", nameof(key));
        }
    }
}
