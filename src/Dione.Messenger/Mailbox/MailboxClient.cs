using System.Collections.Concurrent;
using Dione.Kademlia;
using Dione.Libp2p.Identity;
using Dione.Messenger.Overlay;
using Dione.Messenger.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dione.Messenger.Mailbox;

/// <summary>
/// Puts envelopes at, and takes them from, the Dione peers that hold their addresses: the r peers of the overlay
/// closest to SHA-256 of the address, this node included when it is one of them.
/// </summary>
public sealed class MailboxClient
{
    private readonly DioneOverlay _overlay;
    private readonly DioneStoreClient _client;
    private readonly SqliteEnvelopeStore _localStore;
    private readonly PeerId _self;
    private readonly ILogger _logger;
    private readonly HolderResolver _holders;

    public MailboxClient(DioneOverlay overlay, DioneStoreClient client, SqliteEnvelopeStore localStore, PeerId self, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(localStore);
        ArgumentNullException.ThrowIfNull(self);
        _overlay = overlay;
        _client = client;
        _localStore = localStore;
        _self = self;
        _logger = logger ?? NullLogger.Instance;
        _holders = new HolderResolver(overlay);
    }

    /// <summary>
    /// Stores <paramref name="envelope"/> (serialised, carrying <paramref name="address"/>) at the current holders of
    /// the address, found by an overlay lookup, in parallel.
    /// </summary>
    public async Task<ReplicationResult> StoreAsync(byte[] envelope, byte[] address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(address);
        var holders = await HoldersAsync(address, cancellationToken).ConfigureAwait(false);
        var acknowledged = new ConcurrentBag<PeerId>();
        var failures = new ConcurrentDictionary<PeerId, string>();
        await Parallel.ForEachAsync(holders, new ParallelOptions { MaxDegreeOfParallelism = _overlay.Options.Parallelism, CancellationToken = cancellationToken },
            async (holder, ct) =>
            {
                try
                {
                    var outcome = holder == _self
                        ? await _localStore.StoreAsync(_self, envelope, ct).ConfigureAwait(false)
                        : await _client.StoreAsync(holder, envelope, ct).ConfigureAwait(false);
                    if (outcome.IsOk)
                    {
                        acknowledged.Add(holder);
                    }
                    else
                    {
                        failures[holder] = $"{outcome.Status}: {outcome.Reason}";
                    }
                }
                catch (Exception e) when (e is IOException or TimeoutException or InvalidDataException or InvalidOperationException
                    || (e is OperationCanceledException && !ct.IsCancellationRequested))
                {
                    failures[holder] = e.Message;
                }
            }).ConfigureAwait(false);
        var wanted = Math.Min(_overlay.Options.Replication, holders.Count);
        MailboxLog.Stored(_logger, Convert.ToHexString(address, 0, 4), acknowledged.Count, wanted);
        return new ReplicationResult([.. acknowledged], failures, Math.Max(wanted, 1));
    }

    /// <summary>
    /// The envelopes stored under any of <paramref name="addresses"/>: one FETCH per holder, carrying every address
    /// that holder is among the closest peers for (see <see cref="HolderResolver"/>), plus this node's own store.
    /// Unreachable holders are skipped; each envelope is returned once.
    /// </summary>
    public async Task<IReadOnlyList<byte[]>> FetchAsync(IReadOnlyCollection<byte[]> addresses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var byHolder = new Dictionary<PeerId, List<ReadOnlyMemory<byte>>>();
        var holdersOf = new ConcurrentDictionary<byte[], IReadOnlyList<PeerId>>();
        await Parallel.ForEachAsync(addresses, new ParallelOptions { MaxDegreeOfParallelism = _overlay.Options.Parallelism, CancellationToken = cancellationToken },
            async (address, ct) => holdersOf[address] = await _holders.ResolveAsync(address, ct).ConfigureAwait(false)).ConfigureAwait(false);
        foreach (var address in addresses)
        {
            foreach (var holder in holdersOf[address])
            {
                if (!byHolder.TryGetValue(holder, out var list))
                {
                    byHolder[holder] = list = [];
                }
                list.Add(address);
            }
        }
        var found = new ConcurrentDictionary<string, byte[]>();
        foreach (var local in await _localStore.FetchAsync(addresses.Select(a => (ReadOnlyMemory<byte>)a), cancellationToken).ConfigureAwait(false))
        {
            found.TryAdd(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(local)), local);
        }
        await Parallel.ForEachAsync(byHolder, new ParallelOptions { MaxDegreeOfParallelism = _overlay.Options.Parallelism, CancellationToken = cancellationToken },
            async (entry, ct) =>
            {
                foreach (var batch in entry.Value.Chunk(_localStore.Options.MaxFetchAddresses))
                {
                    try
                    {
                        foreach (var envelope in await _client.FetchAsync(entry.Key, batch, ct).ConfigureAwait(false))
                        {
                            found.TryAdd(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(envelope)), envelope);
                        }
                    }
                    catch (Exception e) when (e is IOException or TimeoutException or InvalidDataException or InvalidOperationException
                        || (e is OperationCanceledException && !ct.IsCancellationRequested))
                    {
                        MailboxLog.FetchFailed(_logger, entry.Key.ToString(), e.Message);
                    }
                }
            }).ConfigureAwait(false);
        return [.. found.Values];
    }

    /// <summary>Asks every current holder of <paramref name="address"/> to delete it; returns how many did.</summary>
    public async Task<int> DeleteAsync(byte[] address, byte[] token, CancellationToken cancellationToken = default)
    {
        var holders = await HoldersAsync(address, cancellationToken).ConfigureAwait(false);
        var deleted = 0;
        await Parallel.ForEachAsync(holders, cancellationToken, async (holder, ct) =>
        {
            try
            {
                var outcome = holder == _self
                    ? await _localStore.DeleteAsync(address, token, ct).ConfigureAwait(false)
                    : await _client.DeleteAsync(holder, address, token, ct).ConfigureAwait(false);
                if (outcome.IsOk)
                {
                    Interlocked.Increment(ref deleted);
                }
            }
            catch (Exception e) when (e is IOException or TimeoutException or InvalidDataException or InvalidOperationException
                || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                MailboxLog.FetchFailed(_logger, holder.ToString(), e.Message);
            }
        }).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>
    /// Offers every envelope this node holds to the current holders of its address (a STORE of an identical envelope
    /// is a no-op where it is already held), so that copies follow the closest set as peers come and go.
    /// Returns how many copies were newly acknowledged elsewhere.
    /// </summary>
    public async Task<int> RereplicateAsync(CancellationToken cancellationToken = default)
    {
        var pushed = 0;
        foreach (var address in await _localStore.AddressesAsync(cancellationToken).ConfigureAwait(false))
        {
            var envelope = (await _localStore.FetchAsync([address], cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            if (envelope is null)
            {
                continue;
            }
            var result = await StoreAsync(envelope, address, cancellationToken).ConfigureAwait(false);
            pushed += result.Acknowledged.Count(p => p != _self);
        }
        return pushed;
    }

    private async Task<IReadOnlyList<PeerId>> HoldersAsync(byte[] address, CancellationToken cancellationToken)
    {
        var remote = await _overlay.FindHoldersAsync(address, cancellationToken).ConfigureAwait(false);
        var target = KadId.FromKey(address);
        return remote.Append(_self)
            .OrderBy(p => KadId.FromPeerId(p), Comparer<KadId>.Create(target.CompareDistance))
            .Take(_overlay.Options.Replication)
            .ToList();
    }
}
