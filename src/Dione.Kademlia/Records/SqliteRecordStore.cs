using System.Text;
using Dione.Storage;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dione.Kademlia.Records;

/// <summary>
/// DHT value records in the node's SQLite database (table <c>kad_records</c>), one row per key, replaced on put.
/// A record lives <see cref="SqliteRecordStoreOptions.RecordLifetime"/> after its <c>timeReceived</c> (the put time,
/// or an earlier well-formed <c>timeReceived</c> the caller set); the store holds at most
/// <see cref="SqliteRecordStoreOptions.MaxRecords"/> records and
/// <see cref="SqliteRecordStoreOptions.MaxTotalValueBytes"/> value bytes, and refuses puts beyond that
/// (<see cref="StoreLimitException"/>) once expired records are pruned. The store does not validate records: the DHT
/// runs the namespace validator before it puts. A new store on the same file sees everything an earlier one stored.
/// </summary>
public sealed class SqliteRecordStore : CountedSqliteStore, IRecordStore
{
    private static readonly StoreSchema Schema = new("kad_records", [
        """
            CREATE TABLE IF NOT EXISTS kad_records (
                key BLOB PRIMARY KEY NOT NULL,
                value BLOB NOT NULL,
                time_received TEXT NOT NULL,
                received_unix_ms INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS kad_records_received ON kad_records (received_unix_ms);
            """,
    ]);

    private readonly SqliteRecordStoreOptions _options;
    private long _count;
    private long _totalValueBytes;

    private SqliteRecordStore(SqliteStoreConnection database, SqliteRecordStoreOptions options, TimeProvider time, ILogger logger)
        : base(database, time, logger)
    {
        _options = options;
    }

    /// <summary>Opens (creating if needed) the record table in the database at <paramref name="databasePath"/>, a file
    /// path or <c>:memory:</c> for a private in-memory database.</summary>
    public static async Task<SqliteRecordStore> OpenAsync(
        string databasePath,
        SqliteRecordStoreOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new SqliteRecordStoreOptions();
        options.Check();
        return await OpenAsync(
            databasePath,
            Schema,
            database => new SqliteRecordStore(database, options, timeProvider ?? TimeProvider.System, logger ?? NullLogger.Instance),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records currently held (expired ones included until pruned).</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Value bytes currently held (expired records included until pruned).</summary>
    public long TotalValueBytes => Interlocked.Read(ref _totalValueBytes);

    /// <summary>The unexpired record for <paramref name="key"/>, or null; a malformed row reads as absent.</summary>
    public Task<Protos.Record?> GetAsync(byte[] key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Database.RunAsync(
            async () =>
            {
                await using var command = Database.Command(
                    "SELECT value, time_received, received_unix_ms FROM kad_records WHERE key = $key",
                    transaction: null,
                    ("$key", key));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }
                if (reader.GetFieldType(0) != typeof(byte[]) || reader.GetFieldType(2) != typeof(long))
                {
                    Logger.LogDebug("Skipping a malformed kad_records row");
                    return null;
                }
                var receivedMs = reader.GetInt64(2);
                if (receivedMs <= CutoffUnixMs())
                {
                    return null;
                }
                var timeReceived = reader.GetFieldType(1) == typeof(string) && IsTimestamp(reader.GetString(1))
                    ? reader.GetString(1)
                    : Rfc3339Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(receivedMs)).ToString();
                return new Protos.Record
                {
                    Key = ByteString.CopyFrom(key),
                    Value = ByteString.CopyFrom(reader.GetFieldValue<byte[]>(0)),
                    TimeReceived = timeReceived,
                };
            },
            cancellationToken);
    }

    /// <summary>Stores <paramref name="record"/> under its key, replacing any earlier record for that key. Its
    /// <c>timeReceived</c> is kept when it is a well-formed RFC 3339 time not in the future, and set to now otherwise;
    /// a record already older than the lifetime is not stored.</summary>
    /// <exception cref="ArgumentException">an empty key.</exception>
    /// <exception cref="StoreLimitException">a key or value over its size limit, or a store that stays over its count
    /// or byte bound after pruning.</exception>
    public Task PutAsync(Protos.Record record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var key = record.Key.ToByteArray();
        var value = record.Value.ToByteArray();
        if (key.Length == 0)
        {
            throw new ArgumentException("record key is empty", nameof(record));
        }
        if (key.Length > _options.MaxKeyBytes)
        {
            throw new StoreLimitException($"record key of {key.Length} bytes exceeds {_options.MaxKeyBytes}");
        }
        if (value.Length > _options.MaxValueBytes)
        {
            throw new StoreLimitException($"record value of {value.Length} bytes exceeds {_options.MaxValueBytes}");
        }
        var now = Time.GetUtcNow();
        var received = ReceivedTime(record.TimeReceived, now);
        if (received.ToUnixTimeMilliseconds() <= now.ToUnixTimeMilliseconds() - (long)_options.RecordLifetime.TotalMilliseconds)
        {
            Logger.LogDebug("Not storing a record received longer ago than the record lifetime");
            return Task.CompletedTask;
        }
        return RunInTransactionAsync(
            async transaction =>
            {
                var previousLength = await ValueLengthAsync(key, transaction, cancellationToken).ConfigureAwait(false);
                if (!Fits(previousLength, value.Length))
                {
                    await DeleteExpiredAsync(transaction, cancellationToken).ConfigureAwait(false);
                    previousLength = await ValueLengthAsync(key, transaction, cancellationToken).ConfigureAwait(false);
                    if (!Fits(previousLength, value.Length))
                    {
                        throw new StoreLimitException(
                            $"record store is full ({Count} records, {TotalValueBytes} value bytes)");
                    }
                }
                await using var command = Database.Command(
                    """
                    INSERT INTO kad_records (key, value, time_received, received_unix_ms)
                    VALUES ($key, $value, $timeReceived, $receivedMs)
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value, time_received = excluded.time_received,
                        received_unix_ms = excluded.received_unix_ms
                    """,
                    transaction,
                    ("$key", key),
                    ("$value", value),
                    ("$timeReceived", Rfc3339Timestamp.FromDateTimeOffset(received).ToString()),
                    ("$receivedMs", received.ToUnixTimeMilliseconds()));
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _count, previousLength is null ? 1 : 0);
                Interlocked.Add(ref _totalValueBytes, value.Length - (previousLength ?? 0));
                return true;
            },
            cancellationToken);
    }

    /// <summary>Removes the record for <paramref name="key"/>; true when there was one.</summary>
    public Task<bool> RemoveAsync(byte[] key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return RunInTransactionAsync(
            async transaction =>
            {
                await using var command = Database.Command("DELETE FROM kad_records WHERE key = $key", transaction, ("$key", key));
                var removed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
                await RecountAsync(transaction, cancellationToken).ConfigureAwait(false);
                return removed;
            },
            cancellationToken);
    }

    /// <summary>Deletes expired records (and rows too malformed to date); returns how many went.</summary>
    public Task<int> PruneExpiredAsync(CancellationToken cancellationToken) =>
        RunInTransactionAsync(
            transaction => DeleteExpiredAsync(transaction, cancellationToken), cancellationToken);

    private Task<int> DeleteExpiredAsync(SqliteTransaction transaction, CancellationToken cancellationToken) =>
        DeleteAndRecountAsync(
            "DELETE FROM kad_records WHERE typeof(received_unix_ms) != 'integer' OR received_unix_ms <= $cutoff",
            transaction,
            cancellationToken,
            ("$cutoff", CutoffUnixMs()));

    protected override async Task RecountAsync(SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = Database.Command(
            "SELECT COUNT(*), COALESCE(SUM(length(value)), 0) FROM kad_records", transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _count, reader.GetInt64(0));
        Interlocked.Exchange(ref _totalValueBytes, reader.GetInt64(1));
    }

    private async Task<long?> ValueLengthAsync(byte[] key, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = Database.Command(
            "SELECT length(value) FROM kad_records WHERE key = $key", transaction, ("$key", key));
        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return result is long length ? length : null;
    }

    private bool Fits(long? previousLength, int newLength) =>
        Count + (previousLength is null ? 1 : 0) <= _options.MaxRecords
        && TotalValueBytes - (previousLength ?? 0) + newLength <= _options.MaxTotalValueBytes;

    private long CutoffUnixMs() =>
        Time.GetUtcNow().ToUnixTimeMilliseconds() - (long)_options.RecordLifetime.TotalMilliseconds;

    private static DateTimeOffset ReceivedTime(string timeReceived, DateTimeOffset now) =>
        TryParseTimestamp(timeReceived) is { } parsed && parsed < now ? parsed : now;

    private static bool IsTimestamp(string text) => TryParseTimestamp(text) is not null;

    private static DateTimeOffset? TryParseTimestamp(string text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 64)
        {
            return null;
        }
        try
        {
            return Rfc3339Timestamp.Parse(Encoding.ASCII.GetBytes(text)).ToDateTimeOffset();
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
