using System.Security.Cryptography;
using Dione.Libp2p.Identity;
using Dione.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Status = Dione.Messenger.Protos.StoreResponse.Types.Status;

namespace Dione.Messenger.Store;

/// <summary>
/// The envelopes this node keeps for others, in the node's SQLite database (table <c>dione_envelopes</c>): one row
/// per address with the envelope bytes as received, its size, expiry and deletion hash. Who stored it is not kept.
/// </summary>
/// <remarks>
/// First writer wins: a second STORE under an address succeeds only with the identical envelope (a retry) and
/// otherwise gets <see cref="Status.Conflict"/>, so nobody can overwrite a message. A storer's quota is the caller's
/// <see cref="StoreAllowance"/> (per connection and IP address, in memory: <see cref="StorerQuotas"/>); the node's
/// total is checked here; expired rows are refused to readers at once and removed by
/// <see cref="PruneExpiredAsync"/>. A new store on the same file sees everything an earlier one stored. An envelope
/// deleted with its token leaves a tombstone (<see cref="EnvelopeTombstones"/>) until it would have expired: storing it
/// again is refused with <see cref="Status.NotFound"/>, and <see cref="TombstonesAsync"/> lists the deletions to send on.
/// </remarks>
public sealed class SqliteEnvelopeStore : CountedSqliteStore
{
    private static readonly StoreSchema Schema = new("dione_envelopes", [
        """
            CREATE TABLE IF NOT EXISTS dione_envelopes (
                address BLOB PRIMARY KEY,
                envelope BLOB NOT NULL,
                stored_by BLOB NOT NULL,
                size INTEGER NOT NULL,
                expires_unix INTEGER NOT NULL,
                deletion_hash BLOB NOT NULL,
                stored_unix INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS dione_envelopes_stored_by ON dione_envelopes (stored_by);
            CREATE INDEX IF NOT EXISTS dione_envelopes_expires ON dione_envelopes (expires_unix);
            """,
        // Who stored an envelope is no longer recorded (quotas are per connection, in memory): forget what was.
        """
            DROP INDEX IF EXISTS dione_envelopes_stored_by;
            UPDATE dione_envelopes SET stored_by = X'';
            """,
        EnvelopeTombstones.CreateTable,
    ]);

    private readonly EnvelopeTombstones _tombstones;
    private long _count;
    private long _bytes;

    private SqliteEnvelopeStore(SqliteStoreConnection database, EnvelopeStoreOptions options, TimeProvider time)
        : base(database, time, NullLogger.Instance)
    {
        Options = options;
        _tombstones = new EnvelopeTombstones(database, options.MaxTombstones);
    }

    /// <summary>The schema version this build writes (the number of migrations).</summary>
    public static int SchemaVersion => Schema.Version;

    public EnvelopeStoreOptions Options { get; }

    /// <summary>Raised with the address after a new envelope was committed (not for a repeated identical store).</summary>
    public event Action<byte[]>? EnvelopeStored;

    /// <summary>Envelopes held now (expired ones included until pruned).</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Bytes held now (expired ones included until pruned).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Deleted envelopes remembered now (expired ones included until pruned).</summary>
    public long Tombstones => _tombstones.Count;

    /// <summary>Opens (creating if needed) the envelope table in the database at <paramref name="databasePath"/>, a file
    /// path or <c>:memory:</c>.</summary>
    public static async Task<SqliteEnvelopeStore> OpenAsync(
        string databasePath, EnvelopeStoreOptions? options = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        options ??= new EnvelopeStoreOptions();
        options.Validate();
        return await OpenAsync(
            databasePath, Schema, database => new SqliteEnvelopeStore(database, options, timeProvider ?? TimeProvider.System), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks and stores an envelope, charging <paramref name="allowance"/> for it when it is new.</summary>
    /// <param name="envelopeBytes">The serialised envelope.</param>
    /// <param name="allowance">The storer's quota; null for this node's own envelopes (only the node's totals apply).</param>
    /// <param name="cancellationToken">Cancels the store.</param>
    public async Task<StoreOutcome> StoreAsync(ReadOnlyMemory<byte> envelopeBytes, StoreAllowance? allowance, CancellationToken cancellationToken = default)
    {
        var now = Time.GetUtcNow();
        var envelope = EnvelopeCheck.Check(envelopeBytes.Span, Options, now, out var refusal);
        if (envelope is null)
        {
            return refusal;
        }
        var address = envelope.Address.ToByteArray();
        var size = envelopeBytes.Length;
        var inserted = false;
        var outcome = await RunInTransactionAsync(
            async transaction =>
            {
                if (await _tombstones.WasDeletedAsync(transaction, address, envelope.DeletionHash.Memory, cancellationToken).ConfigureAwait(false))
                {
                    return StoreOutcome.Refused(Status.NotFound, "this envelope was stored here and deleted");
                }
                var existing = await ReadEnvelopeAsync(transaction, address, cancellationToken).ConfigureAwait(false);
                if (existing is not null)
                {
                    return existing.AsSpan().SequenceEqual(envelopeBytes.Span)
                        ? StoreOutcome.Ok
                        : StoreOutcome.Refused(Status.Conflict, "another envelope is stored under this address");
                }
                if (_count >= Options.MaxEnvelopes || _bytes + size > Options.MaxBytes)
                {
                    return StoreOutcome.Refused(Status.QuotaExceeded, "this node stores no more envelopes now");
                }
                if (allowance is not null && !allowance.TryTake(size, out var reason))
                {
                    return StoreOutcome.Refused(Status.QuotaExceeded, reason);
                }
                await using (var insert = Database.Command(
                    "INSERT INTO dione_envelopes (address, envelope, stored_by, size, expires_unix, deletion_hash, stored_unix) "
                    + "VALUES ($address, $envelope, X'', $size, $expires, $hash, $now)",
                    transaction,
                    ("$address", address), ("$envelope", envelopeBytes.ToArray()), ("$size", size),
                    ("$expires", (long)envelope.ExpiresUnixSeconds), ("$hash", envelope.DeletionHash.ToByteArray()),
                    ("$now", now.ToUnixTimeSeconds())))
                {
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                _count++;
                _bytes += size;
                inserted = true;
                return StoreOutcome.Ok;
            },
            cancellationToken).ConfigureAwait(false);
        if (inserted)
        {
            EnvelopeStored?.Invoke(address);
        }
        return outcome;
    }

    /// <summary>The unexpired envelopes stored under any of <paramref name="addresses"/> (each at most once).</summary>
    public Task<IReadOnlyList<byte[]>> FetchAsync(IEnumerable<ReadOnlyMemory<byte>> addresses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var wanted = addresses.Select(a => a.ToArray()).DistinctBy(Convert.ToHexString).ToList();
        var now = Time.GetUtcNow().ToUnixTimeSeconds();
        return Database.RunAsync<IReadOnlyList<byte[]>>(
            async () =>
            {
                var found = new List<byte[]>();
                foreach (var address in wanted)
                {
                    await using var select = Database.Command(
                        "SELECT envelope FROM dione_envelopes WHERE address = $address AND expires_unix > $now",
                        null, ("$address", address), ("$now", now));
                    if (await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is byte[] envelope)
                    {
                        found.Add(envelope);
                    }
                }
                return found;
            },
            cancellationToken);
    }

    /// <summary>
    /// Deletes the envelope at <paramref name="address"/> when SHA-256 of <paramref name="token"/> is its deletion hash,
    /// and keeps a tombstone of it until its expiry.
    /// </summary>
    public Task<StoreOutcome> DeleteAsync(ReadOnlyMemory<byte> address, ReadOnlyMemory<byte> token, CancellationToken cancellationToken = default)
    {
        if (token.Length is 0 or > EnvelopeCheck.MaxDeletionTokenLength)
        {
            return Task.FromResult(StoreOutcome.Refused(Status.BadRequest, $"a deletion token has 1 to {EnvelopeCheck.MaxDeletionTokenLength} bytes"));
        }
        var key = address.ToArray();
        var tokenBytes = token.ToArray();
        var tokenHash = SHA256.HashData(tokenBytes);
        return RunInTransactionAsync(
            async transaction =>
            {
                await using var select = Database.Command(
                    "SELECT deletion_hash, size, expires_unix FROM dione_envelopes WHERE address = $address", transaction, ("$address", key));
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return StoreOutcome.Refused(Status.NotFound, "nothing is stored under this address");
                }
                var hash = (byte[])reader.GetValue(0);
                var size = reader.GetInt64(1);
                var expires = reader.GetInt64(2);
                if (!CryptographicOperations.FixedTimeEquals(hash, tokenHash))
                {
                    return StoreOutcome.Refused(Status.Forbidden, "the deletion token does not match");
                }
                await using var delete = Database.Command("DELETE FROM dione_envelopes WHERE address = $address", transaction, ("$address", key));
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                _count--;
                _bytes -= size;
                await _tombstones.RecordAsync(transaction, key, tokenBytes, expires, cancellationToken).ConfigureAwait(false);
                return StoreOutcome.Ok;
            },
            cancellationToken);
    }

    /// <summary>Removes expired envelopes and tombstones; returns how many envelopes.</summary>
    public Task<int> PruneExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = Time.GetUtcNow().ToUnixTimeSeconds();
        return Database.RunAsync(
            async () =>
            {
                await using var delete = Database.Command("DELETE FROM dione_envelopes WHERE expires_unix <= $now", null, ("$now", now));
                var removed = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await _tombstones.PruneExpiredAsync(now, cancellationToken).ConfigureAwait(false);
                await RecountAsync(null, cancellationToken).ConfigureAwait(false);
                return removed;
            },
            cancellationToken);
    }

    /// <summary>Every unexpired address held, for re-replication when the closest set changes.</summary>
    public Task<IReadOnlyList<byte[]>> AddressesAsync(CancellationToken cancellationToken = default)
    {
        var now = Time.GetUtcNow().ToUnixTimeSeconds();
        return Database.RunAsync<IReadOnlyList<byte[]>>(
            async () =>
            {
                await using var select = Database.Command("SELECT address FROM dione_envelopes WHERE expires_unix > $now", null, ("$now", now));
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var addresses = new List<byte[]>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    addresses.Add((byte[])reader.GetValue(0));
                }
                return addresses;
            },
            cancellationToken);
    }

    /// <summary>Every unexpired tombstone as the DELETE that made it (address and token), to send on to the address's current holders.</summary>
    public Task<IReadOnlyList<(byte[] Address, byte[] Token)>> TombstonesAsync(CancellationToken cancellationToken = default) =>
        _tombstones.UnexpiredAsync(Time.GetUtcNow().ToUnixTimeSeconds(), cancellationToken);

    private async Task<byte[]?> ReadEnvelopeAsync(SqliteTransaction transaction, byte[] address, CancellationToken cancellationToken)
    {
        await using var select = Database.Command("SELECT envelope FROM dione_envelopes WHERE address = $address", transaction, ("$address", address));
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
    }

    protected override async Task RecountAsync(SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var select = Database.Command("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM dione_envelopes", transaction);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _count, reader.GetInt64(0));
        Interlocked.Exchange(ref _bytes, reader.GetInt64(1));
        await _tombstones.RecountAsync(transaction, cancellationToken).ConfigureAwait(false);
    }
}
