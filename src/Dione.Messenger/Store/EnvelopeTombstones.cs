using System.Security.Cryptography;
using Dione.Storage;
using Microsoft.Data.Sqlite;

namespace Dione.Messenger.Store;

/// <summary>
/// What a holder remembers of the envelopes it deleted (table <c>dione_tombstones</c>, beside <c>dione_envelopes</c>
/// and on the same connection): per address, the token that deleted it and the envelope's expiry. While the envelope
/// could still live somewhere, a STORE of it (the same deletion hash) is refused, so re-replication by a holder that
/// missed the deletion cannot bring it back here, and the holder's upkeep sends the same DELETE to the current holders
/// of the address (see <c>MailboxClient.PropagateDeletionsAsync</c>).
/// </summary>
/// <remarks>
/// A tombstone is written only when a DELETE removed an envelope this node held and whose deletion hash the token
/// matched, never from a DELETE at an address held nowhere here: a DELETE cannot be checked without the envelope, and
/// tombstones from unchecked ones would let anyone block an address anybody can compute (an intro or prekey slot).
/// Only the deleted envelope is refused: another envelope (another deletion hash) may be stored under the address, as
/// a prekey publication replaced in its slot is. Each address keeps one tombstone (the latest deletion), and the table
/// holds at most <see cref="EnvelopeStoreOptions.MaxTombstones"/>: beyond that the one expiring first is dropped, since
/// deleting envelopes frees their quota and would otherwise let a peer grow the table without bound.
/// </remarks>
internal sealed class EnvelopeTombstones(SqliteStoreConnection database, int maxTombstones)
{
    /// <summary>The migration that creates the table (appended to the envelope store's schema).</summary>
    public const string CreateTable = """
        CREATE TABLE IF NOT EXISTS dione_tombstones (
            address BLOB PRIMARY KEY,
            deletion_hash BLOB NOT NULL,
            token BLOB NOT NULL,
            expires_unix INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS dione_tombstones_expires ON dione_tombstones (expires_unix);
        """;

    private long _count;

    /// <summary>Tombstones held now (expired ones included until pruned).</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Whether the envelope with <paramref name="deletionHash"/> was stored under <paramref name="address"/> and deleted.</summary>
    public async Task<bool> WasDeletedAsync(SqliteTransaction transaction, byte[] address, ReadOnlyMemory<byte> deletionHash, CancellationToken cancellationToken)
    {
        await using var select = database.Command(
            "SELECT deletion_hash FROM dione_tombstones WHERE address = $address", transaction, ("$address", address));
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is byte[] hash && hash.AsSpan().SequenceEqual(deletionHash.Span);
    }

    /// <summary>Remembers that <paramref name="token"/> deleted the envelope under <paramref name="address"/>, until <paramref name="expiresUnix"/>.</summary>
    public async Task RecordAsync(SqliteTransaction transaction, byte[] address, byte[] token, long expiresUnix, CancellationToken cancellationToken)
    {
        await using (var replace = database.Command("DELETE FROM dione_tombstones WHERE address = $address", transaction, ("$address", address)))
        {
            _count -= await replace.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var insert = database.Command(
            "INSERT INTO dione_tombstones (address, deletion_hash, token, expires_unix) VALUES ($address, $hash, $token, $expires)",
            transaction, ("$address", address), ("$hash", SHA256.HashData(token)), ("$token", token), ("$expires", expiresUnix)))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        _count++;
        if (_count > maxTombstones)
        {
            await using var evict = database.Command(
                "DELETE FROM dione_tombstones WHERE address = (SELECT address FROM dione_tombstones ORDER BY expires_unix LIMIT 1)", transaction);
            _count -= await evict.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every unexpired tombstone, as the DELETE to send again: the address and its token.</summary>
    public Task<IReadOnlyList<(byte[] Address, byte[] Token)>> UnexpiredAsync(long nowUnix, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<(byte[] Address, byte[] Token)>>(
            async () =>
            {
                await using var select = database.Command(
                    "SELECT address, token FROM dione_tombstones WHERE expires_unix > $now", null, ("$now", nowUnix));
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var tombstones = new List<(byte[], byte[])>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    tombstones.Add(((byte[])reader.GetValue(0), (byte[])reader.GetValue(1)));
                }
                return tombstones;
            },
            cancellationToken);

    /// <summary>Removes the expired tombstones (inside the caller's work on the connection, which then recounts).</summary>
    public async Task PruneExpiredAsync(long nowUnix, CancellationToken cancellationToken)
    {
        await using var delete = database.Command("DELETE FROM dione_tombstones WHERE expires_unix <= $now", null, ("$now", nowUnix));
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets <see cref="Count"/> from the table.</summary>
    public async Task RecountAsync(SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var select = database.Command("SELECT COUNT(*) FROM dione_tombstones", transaction);
        Interlocked.Exchange(ref _count, (long)(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L));
    }
}
