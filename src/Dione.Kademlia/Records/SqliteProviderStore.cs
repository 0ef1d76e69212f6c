using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Storage;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dione.Kademlia.Records;

/// <summary>
/// Provider records in the node's SQLite database (table <c>kad_providers</c>): one row per (key, provider) holding
/// the provider as a DHT <c>Message.Peer</c> protobuf (id and binary multiaddrs) and the time it was last added.
/// Entries live <see cref="SqliteProviderStoreOptions.ProviderLifetime"/>; each key keeps its newest
/// <see cref="SqliteProviderStoreOptions.MaxProvidersPerKey"/> providers; new keys or entries beyond
/// <see cref="SqliteProviderStoreOptions.MaxKeys"/> or <see cref="SqliteProviderStoreOptions.MaxEntries"/> are refused
/// (<see cref="StoreLimitException"/>) once expired entries are pruned. Re-adding a provider refreshes its time and
/// replaces its addresses (keeping the old ones when the new list is empty). A new store on the same file sees
/// everything an earlier one stored.
/// </summary>
public sealed class SqliteProviderStore : CountedSqliteStore, IProviderStore
{
    private static readonly StoreSchema Schema = new("kad_providers", [
        """
            CREATE TABLE IF NOT EXISTS kad_providers (
                key BLOB NOT NULL,
                peer_id BLOB NOT NULL,
                peer BLOB NOT NULL,
                received_unix_ms INTEGER NOT NULL,
                PRIMARY KEY (key, peer_id));
            CREATE INDEX IF NOT EXISTS kad_providers_received ON kad_providers (received_unix_ms);
            CREATE INDEX IF NOT EXISTS kad_providers_key_received ON kad_providers (key, received_unix_ms);
            """,
    ]);

    private readonly SqliteProviderStoreOptions _options;
    private long _keyCount;
    private long _entryCount;

    private SqliteProviderStore(SqliteStoreConnection database, SqliteProviderStoreOptions options, TimeProvider time, ILogger logger)
        : base(database, time, logger)
    {
        _options = options;
    }

    /// <summary>Opens (creating if needed) the provider table in the database at <paramref name="databasePath"/>, a
    /// file path or <c>:memory:</c> for a private in-memory database.</summary>
    public static async Task<SqliteProviderStore> OpenAsync(
        string databasePath,
        SqliteProviderStoreOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new SqliteProviderStoreOptions();
        options.Check();
        return await OpenAsync(
            databasePath,
            Schema,
            database => new SqliteProviderStore(database, options, timeProvider ?? TimeProvider.System, logger ?? NullLogger.Instance),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Distinct keys currently held (expired entries included until pruned).</summary>
    public long KeyCount => Interlocked.Read(ref _keyCount);

    /// <summary>Provider entries currently held (expired ones included until pruned).</summary>
    public long EntryCount => Interlocked.Read(ref _entryCount);

    /// <summary>Records <paramref name="provider"/> as providing <paramref name="key"/>, now.</summary>
    /// <exception cref="ArgumentException">an empty key.</exception>
    /// <exception cref="StoreLimitException">a key over the length limit, or a new key or entry beyond the store's
    /// bounds after pruning.</exception>
    public Task AddAsync(byte[] key, KadPeer provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(provider);
        if (key.Length == 0)
        {
            throw new ArgumentException("provider key is empty", nameof(key));
        }
        if (key.Length > _options.MaxKeyBytes)
        {
            throw new StoreLimitException($"provider key of {key.Length} bytes exceeds {_options.MaxKeyBytes}");
        }
        var peerId = provider.PeerId.ToBytes();
        var peer = new Protos.Message.Types.Peer { Id = ByteString.CopyFrom(peerId) };
        foreach (var address in provider.Addresses.Distinct().Take(_options.MaxAddressesPerProvider))
        {
            peer.Addrs.Add(ByteString.CopyFrom(address.ToBytes()));
        }
        var receivedMs = Time.GetUtcNow().ToUnixTimeMilliseconds();
        return RunInTransactionAsync(
            async transaction =>
            {
                var (keyExists, peerExists, keyEntries) = await LookUpAsync(key, peerId, transaction, cancellationToken).ConfigureAwait(false);
                if (!peerExists)
                {
                    if (!Fits(keyExists, keyEntries))
                    {
                        await DeleteExpiredAsync(transaction, cancellationToken).ConfigureAwait(false);
                        (keyExists, _, keyEntries) = await LookUpAsync(key, peerId, transaction, cancellationToken).ConfigureAwait(false);
                        if (!Fits(keyExists, keyEntries))
                        {
                            throw new StoreLimitException($"provider store is full ({KeyCount} keys, {EntryCount} entries)");
                        }
                    }
                    if (keyEntries >= _options.MaxProvidersPerKey)
                    {
                        await DropOldestAsync(key, keyEntries - _options.MaxProvidersPerKey + 1, transaction, cancellationToken).ConfigureAwait(false);
                    }
                }
                await UpsertAsync(key, peerId, peer, receivedMs, transaction, cancellationToken).ConfigureAwait(false);
                CountNewEntry(peerExists, keyExists);
                return true;
            },
            cancellationToken);
    }

    /// <summary>Up to <paramref name="max"/> unexpired providers of <paramref name="key"/>, most recently added first;
    /// malformed rows and unparsable addresses are skipped.</summary>
    public Task<IReadOnlyList<KadPeer>> GetAsync(byte[] key, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        if (max == 0)
        {
            return Task.FromResult<IReadOnlyList<KadPeer>>([]);
        }
        return Database.RunAsync<IReadOnlyList<KadPeer>>(
            async () =>
            {
                await using var command = Database.Command(
                    """
                    SELECT peer_id, peer FROM kad_providers
                    WHERE key = $key AND typeof(received_unix_ms) = 'integer' AND received_unix_ms > $cutoff
                    ORDER BY received_unix_ms DESC, peer_id
                    LIMIT $max
                    """,
                    transaction: null,
                    ("$key", key),
                    ("$cutoff", CutoffUnixMs()),
                    ("$max", Math.Min(max, _options.MaxProvidersPerKey)));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var providers = new List<KadPeer>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (TryReadProvider(reader) is { } provider)
                    {
                        providers.Add(provider);
                    }
                }
                return providers;
            },
            cancellationToken);
    }

    /// <summary>Deletes expired entries (and rows too malformed to date); returns how many went.</summary>
    public Task<int> PruneExpiredAsync(CancellationToken cancellationToken) =>
        RunInTransactionAsync(
            transaction => DeleteExpiredAsync(transaction, cancellationToken), cancellationToken);

    private KadPeer? TryReadProvider(SqliteDataReader reader)
    {
        if (reader.GetFieldType(0) != typeof(byte[]) || reader.GetFieldType(1) != typeof(byte[]))
        {
            Logger.LogDebug("Skipping a malformed kad_providers row");
            return null;
        }
        try
        {
            var peer = Protos.Message.Types.Peer.Parser.ParseFrom(reader.GetFieldValue<byte[]>(1));
            var id = PeerId.FromBytes(peer.Id.Span);
            if (!peer.Id.Span.SequenceEqual(reader.GetFieldValue<byte[]>(0)))
            {
                Logger.LogDebug("Skipping a kad_providers row whose peer does not match its id");
                return null;
            }
            var addresses = new List<Multiaddress>(peer.Addrs.Count);
            foreach (var address in peer.Addrs.Take(_options.MaxAddressesPerProvider))
            {
                try
                {
                    addresses.Add(Multiaddress.FromBytes(address.Span));
                }
                catch (FormatException)
                {
                    Logger.LogDebug("Skipping an unparsable provider address");
                }
            }
            return new KadPeer(id, addresses);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or FormatException)
        {
            Logger.LogDebug(e, "Skipping a malformed kad_providers row");
            return null;
        }
    }

    private bool Fits(bool keyExists, long keyEntries) =>
        (keyExists || KeyCount < _options.MaxKeys)
        && (EntryCount < _options.MaxEntries || keyEntries >= _options.MaxProvidersPerKey);

    private async Task<(bool KeyExists, bool PeerExists, long KeyEntries)> LookUpAsync(
        byte[] key, byte[] peerId, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = Database.Command(
            "SELECT COUNT(*), COALESCE(SUM(peer_id = $peerId), 0) FROM kad_providers WHERE key = $key",
            transaction,
            ("$key", key),
            ("$peerId", peerId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var entries = reader.GetInt64(0);
        return (entries > 0, reader.GetInt64(1) > 0, entries);
    }

    private async Task DropOldestAsync(byte[] key, long count, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = Database.Command(
            """
            DELETE FROM kad_providers WHERE key = $key AND peer_id IN (
                SELECT peer_id FROM kad_providers WHERE key = $key
                ORDER BY typeof(received_unix_ms) = 'integer', received_unix_ms, peer_id LIMIT $count)
            """,
            transaction,
            ("$key", key),
            ("$count", count));
        var dropped = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _entryCount, -dropped);
    }

    private async Task UpsertAsync(
        byte[] key, byte[] peerId, Protos.Message.Types.Peer peer, long receivedMs, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = Database.Command(
            """
            INSERT INTO kad_providers (key, peer_id, peer, received_unix_ms) VALUES ($key, $peerId, $peer, $receivedMs)
            ON CONFLICT (key, peer_id) DO UPDATE SET received_unix_ms = excluded.received_unix_ms,
                peer = CASE WHEN $hasAddresses THEN excluded.peer ELSE kad_providers.peer END
            """,
            transaction,
            ("$key", key),
            ("$peerId", peerId),
            ("$peer", peer.ToByteArray()),
            ("$receivedMs", receivedMs),
            ("$hasAddresses", peer.Addrs.Count > 0 ? 1 : 0));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private void CountNewEntry(bool peerExisted, bool keyExisted)
    {
        if (!peerExisted)
        {
            Interlocked.Increment(ref _entryCount);
            if (!keyExisted)
            {
                Interlocked.Increment(ref _keyCount);
            }
        }
    }

    private Task<int> DeleteExpiredAsync(SqliteTransaction transaction, CancellationToken cancellationToken) =>
        DeleteAndRecountAsync(
            "DELETE FROM kad_providers WHERE typeof(received_unix_ms) != 'integer' OR received_unix_ms <= $cutoff",
            transaction,
            cancellationToken,
            ("$cutoff", CutoffUnixMs()));

    protected override async Task RecountAsync(SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = Database.Command("SELECT COUNT(*), COUNT(DISTINCT key) FROM kad_providers", transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _entryCount, reader.GetInt64(0));
        Interlocked.Exchange(ref _keyCount, reader.GetInt64(1));
    }

    private long CutoffUnixMs() =>
        Time.GetUtcNow().ToUnixTimeMilliseconds() - (long)_options.ProviderLifetime.TotalMilliseconds;
}
