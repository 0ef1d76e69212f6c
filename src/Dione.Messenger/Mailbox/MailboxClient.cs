using System.Collections.Concurrent;
using System.Diagnostics;
using Dione.Kademlia;
using Dione.Libp2p.Identity;
using Dione.Messenger.Overlay;
using Dione.Messenger.Protos;
using Dione.Messenger.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dione.Messenger.Mailbox;

/// <summary>
/// Puts envelopes at, and takes them from, the Dione peers that hold their addresses: the r peers of the overlay
/// closest to SHA-256 of the address, this node included when it is one of them.
/// </summary>
/// <remarks>
/// A person's requests, and the lookups that find their holders, go out under the throwaway identity of their
/// <see cref="MailboxTraffic"/> (<see cref="EphemeralIdentities"/>), never under the node's own peer id; only a
/// holder's upkeep (<see cref="RereplicateAsync"/>, <see cref="PropagateDeletionsAsync"/>) speaks as the node itself.
/// </remarks>
public sealed class MailboxClient : IMailbox, IAsyncDisposable
{
    private readonly DioneOverlay _overlay;
    private readonly DioneStoreClient _client;
    private readonly SqliteEnvelopeStore _localStore;
    private readonly PeerId _self;
    private readonly ILogger _logger;
    private readonly HolderResolver _holders;
    private readonly HomeRoute _home;
    private readonly EphemeralIdentities? _ephemeral;

    /// <param name="overlay">The node's overlay.</param>
    /// <param name="client">The <c>/dione/1.0</c> client on the node's own host, for a holder's upkeep.</param>
    /// <param name="localStore">This node's envelope store, which serves the addresses this node holds itself.</param>
    /// <param name="self">The node's own peer id.</param>
    /// <param name="ephemeral">The throwaway identities a person's traffic goes out under; null: the node's own (only to measure the difference).</param>
    /// <param name="logger">Optional logger.</param>
    internal MailboxClient(
        DioneOverlay overlay, DioneStoreClient client, SqliteEnvelopeStore localStore, PeerId self, EphemeralIdentities? ephemeral, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(localStore);
        ArgumentNullException.ThrowIfNull(self);
        _overlay = overlay;
        _client = client;
        _localStore = localStore;
        _self = self;
        _ephemeral = ephemeral;
        _logger = logger ?? NullLogger.Instance;
        _holders = new HolderResolver();
        _home = new HomeRoute(overlay, client);
    }

    /// <summary>The peer ids a person's traffic goes out under now, by kind; empty when throwaway identities are off.</summary>
    public IReadOnlyDictionary<MailboxTraffic, PeerId> EphemeralPeers => _ephemeral?.Current ?? new Dictionary<MailboxTraffic, PeerId>();

    /// <summary>Connections the throwaway identities hold open now.</summary>
    public int EphemeralConnections => _ephemeral?.ConnectionCount ?? 0;

    /// <summary>
    /// Stores <paramref name="envelope"/> (serialised, carrying <paramref name="address"/>) at the current holders of
    /// the address, found by an overlay lookup, in parallel.
    /// </summary>
    public Task<ReplicationResult> StoreAsync(byte[] envelope, byte[] address, MailboxTraffic traffic, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(address);
        return OverAsync(traffic, route => StoreAsync(route, envelope, address, cancellationToken));
    }

    private async Task<ReplicationResult> StoreAsync(IMailboxRoute route, byte[] envelope, byte[] address, CancellationToken cancellationToken)
    {
        var holders = await HoldersAsync(route, address, cancellationToken).ConfigureAwait(false);
        var acknowledged = new ConcurrentBag<PeerId>();
        var failures = new ConcurrentDictionary<PeerId, string>();
        var refusals = new ConcurrentDictionary<PeerId, StoreResponse.Types.Status>();
        await Parallel.ForEachAsync(holders, new ParallelOptions { MaxDegreeOfParallelism = _overlay.Options.Parallelism, CancellationToken = cancellationToken },
            async (holder, ct) =>
            {
                try
                {
                    var outcome = holder == _self
                        ? await _localStore.StoreAsync(envelope, allowance: null, ct).ConfigureAwait(false)
                        : await route.Store.StoreAsync(holder, envelope, ct).ConfigureAwait(false);
                    if (outcome.IsOk)
                    {
                        acknowledged.Add(holder);
                    }
                    else
                    {
                        failures[holder] = $"{outcome.Status}: {outcome.Reason}";
                        refusals[holder] = outcome.Status;
                    }
                }
                catch (Exception e) when (e is IOException or TimeoutException or InvalidDataException or InvalidOperationException
                    || (e is OperationCanceledException && !ct.IsCancellationRequested))
                {
                    failures[holder] = e.Message;
                }
            }).ConfigureAwait(false);
        // r holders, or every Dione node there is when there are fewer. A lookup that found no other node says nothing
        // about how many there are (a node that has just started has not joined yet): then r are wanted, so the
        // outbox stores again once the node knows its peers, instead of counting a copy on itself as delivered.
        var wanted = holders.Any(h => h != _self) ? Math.Min(_overlay.Options.Replication, holders.Count) : _overlay.Options.Replication;
        MailboxLog.Stored(_logger, Convert.ToHexString(address, 0, 4), acknowledged.Count, wanted);
        return new ReplicationResult([.. acknowledged], failures, refusals, wanted);
    }

    /// <summary>
    /// The envelopes stored under any of <paramref name="addresses"/>: one FETCH per holder, carrying every address
    /// that holder is among the closest peers for (found by a lookup, see <see cref="HolderResolver"/>), plus this node's own store.
    /// Unreachable holders are skipped; each envelope is returned once.
    /// </summary>
    public Task<IReadOnlyList<byte[]>> FetchAsync(IReadOnlyCollection<byte[]> addresses, MailboxTraffic traffic, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return OverAsync(traffic, route => FetchAsync(route, addresses, cancellationToken));
    }

    private async Task<IReadOnlyList<byte[]>> FetchAsync(IMailboxRoute route, IReadOnlyCollection<byte[]> addresses, CancellationToken cancellationToken)
    {
        var byHolder = await GroupByHolderAsync(route, addresses, cancellationToken).ConfigureAwait(false);
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
                        foreach (var envelope in await route.Store.FetchAsync(entry.Key, batch, ct).ConfigureAwait(false))
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

    /// <summary>
    /// Waits up to <paramref name="wait"/> for an envelope under any of <paramref name="addresses"/>: a waiting FETCH at
    /// every holder (see <see cref="DioneStoreClient.FetchAsync(PeerId, IEnumerable{ReadOnlyMemory{byte}}, TimeSpan, CancellationToken)"/>)
    /// and a watch on this node's own store. Returns what the first answer with envelopes brought (the other requests
    /// are then abandoned), or nothing when every holder's wait ran out.
    /// </summary>
    /// <remarks>
    /// The waits start at once, without waiting for lookups: at the holders remembered from an earlier lookup, or, for an
    /// address not looked up yet, where this node's routing table places it. Those lookups run meanwhile and add waits at
    /// any true holder the table missed. A watch restarts whenever a send or a received message moves a session's window,
    /// and looking up its tens of new addresses first (eight at a time) took hundreds of milliseconds on a loopback
    /// swarm, during which a reply could not be heard.
    /// </remarks>
    public Task<IReadOnlyList<byte[]>> WaitForEnvelopesAsync(
        IReadOnlyCollection<byte[]> addresses, MailboxTraffic traffic, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return OverAsync(traffic, route => WaitForEnvelopesAsync(route, addresses, wait, cancellationToken));
    }

    private async Task<IReadOnlyList<byte[]>> WaitForEnvelopesAsync(IMailboxRoute route, IReadOnlyCollection<byte[]> addresses, TimeSpan wait, CancellationToken cancellationToken)
    {
        var local = await _localStore.FetchAsync(addresses.Select(a => (ReadOnlyMemory<byte>)a), cancellationToken).ConfigureAwait(false);
        if (local.Count > 0)
        {
            return local;
        }
        var started = Stopwatch.GetTimestamp();
        var waitingAt = new Dictionary<PeerId, List<ReadOnlyMemory<byte>>>();
        var unresolved = new List<byte[]>();
        foreach (var address in addresses)
        {
            if (!_holders.TryGetRemembered(address, out var holders))
            {
                unresolved.Add(address);
                holders = _overlay.KnownHolders(address);
            }
            AddToGroups(waitingAt, address, holders);
        }
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var wanted = addresses.Select(a => Convert.ToHexString(a)).ToHashSet(StringComparer.Ordinal);
        var storedHere = new TaskCompletionSource<IReadOnlyList<byte[]>>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnStored(byte[] address)
        {
            if (wanted.Contains(Convert.ToHexString(address)))
            {
                _ = _localStore.FetchAsync([address], CancellationToken.None).ContinueWith(t => storedHere.TrySetResult(t.IsCompletedSuccessfully ? t.Result : []), TaskScheduler.Default);
            }
        }
        _localStore.EnvelopeStored += OnStored;
        try
        {
            var pending = WaitAtAll(route, waitingAt, wait, abandon.Token);
            pending.Add(storedHere.Task.WaitAsync(wait, abandon.Token).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : [], TaskScheduler.Default));
            if (unresolved.Count > 0)
            {
                pending.Add(WaitAtLookedUpHoldersAsync(route, unresolved, waitingAt, wait - Stopwatch.GetElapsedTime(started), abandon.Token));
            }
            return await EnvelopeWaits.FirstWithEnvelopesAsync(pending).ConfigureAwait(false);
        }
        finally
        {
            _localStore.EnvelopeStored -= OnStored;
            await abandon.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Asks every current holder of <paramref name="address"/> to delete it; returns how many did.</summary>
    public Task<int> DeleteAsync(byte[] address, byte[] token, MailboxTraffic traffic, CancellationToken cancellationToken = default) =>
        OverAsync(traffic, route => DeleteAsync(route, address, token, cancellationToken));

    private async Task<int> DeleteAsync(IMailboxRoute route, byte[] address, byte[] token, CancellationToken cancellationToken)
    {
        var holders = await HoldersAsync(route, address, cancellationToken).ConfigureAwait(false);
        var deleted = 0;
        await Parallel.ForEachAsync(holders, cancellationToken, async (holder, ct) =>
        {
            try
            {
                var outcome = holder == _self
                    ? await _localStore.DeleteAsync(address, token, ct).ConfigureAwait(false)
                    : await route.Store.DeleteAsync(holder, address, token, ct).ConfigureAwait(false);
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
    /// is a no-op where it is already held), so that copies follow the closest set as peers come and go. A holder
    /// that deleted the envelope refuses it (<c>NOT_FOUND</c>, its tombstone) and sends this node the DELETE at its
    /// next <see cref="PropagateDeletionsAsync"/>.
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
            var result = await StoreAsync(_home, envelope, address, cancellationToken).ConfigureAwait(false);
            pushed += result.Acknowledged.Count(p => p != _self);
        }
        return pushed;
    }

    /// <summary>
    /// Sends the DELETE behind each of this node's tombstones (<see cref="SqliteEnvelopeStore.TombstonesAsync"/>) to the
    /// current holders of its address, from this node's own identity, so that a deletion reaches holders that missed it
    /// or received a replica after it; a holder without the envelope answers <c>NOT_FOUND</c> and records nothing.
    /// Returns how many copies were deleted elsewhere.
    /// </summary>
    public async Task<int> PropagateDeletionsAsync(CancellationToken cancellationToken = default)
    {
        var deleted = 0;
        foreach (var (address, token) in await _localStore.TombstonesAsync(cancellationToken).ConfigureAwait(false))
        {
            var others = (await HoldersAsync(_home, address, cancellationToken).ConfigureAwait(false)).Where(h => h != _self);
            var answers = await Task.WhenAll(others.Select(holder => SendDeletionAsync(holder, address, token, cancellationToken))).ConfigureAwait(false);
            deleted += answers.Count(removed => removed);
        }
        return deleted;
    }

    /// <summary>Sends one tombstone's DELETE to <paramref name="holder"/>; true when it removed a copy there.</summary>
    private async Task<bool> SendDeletionAsync(PeerId holder, byte[] address, byte[] token, CancellationToken cancellationToken)
    {
        try
        {
            return (await _client.DeleteAsync(holder, address, token, cancellationToken).ConfigureAwait(false)).IsOk;
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidDataException or InvalidOperationException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            MailboxLog.DeletionNotPropagated(_logger, holder.ToString(), e.Message);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ephemeral is not null)
        {
            await _ephemeral.DisposeAsync().ConfigureAwait(false);
        }
    }

    private Task<T> OverAsync<T>(MailboxTraffic traffic, Func<IMailboxRoute, Task<T>> work) =>
        _ephemeral is null ? work(_home) : _ephemeral.UseAsync(traffic, work);

    private async Task<Dictionary<PeerId, List<ReadOnlyMemory<byte>>>> GroupByHolderAsync(
        IMailboxRoute route, IReadOnlyCollection<byte[]> addresses, CancellationToken cancellationToken)
    {
        var holdersOf = await ResolveAllAsync(route, addresses, cancellationToken).ConfigureAwait(false);
        var byHolder = new Dictionary<PeerId, List<ReadOnlyMemory<byte>>>();
        foreach (var address in addresses)
        {
            AddToGroups(byHolder, address, holdersOf[address]);
        }
        return byHolder;
    }

    private async Task<ConcurrentDictionary<byte[], IReadOnlyList<PeerId>>> ResolveAllAsync(
        IMailboxRoute route, IEnumerable<byte[]> addresses, CancellationToken cancellationToken)
    {
        var holdersOf = new ConcurrentDictionary<byte[], IReadOnlyList<PeerId>>();
        await Parallel.ForEachAsync(addresses, new ParallelOptions { MaxDegreeOfParallelism = _overlay.Options.Parallelism, CancellationToken = cancellationToken },
            async (address, ct) => holdersOf[address] = await _holders.ResolveAsync(address, route.FindHoldersAsync, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return holdersOf;
    }

    private static void AddToGroups(Dictionary<PeerId, List<ReadOnlyMemory<byte>>> byHolder, byte[] address, IReadOnlyList<PeerId> holders)
    {
        foreach (var holder in holders)
        {
            if (!byHolder.TryGetValue(holder, out var list))
            {
                byHolder[holder] = list = [];
            }
            list.Add(address);
        }
    }

    private List<Task<IReadOnlyList<byte[]>>> WaitAtAll(
        IMailboxRoute route, Dictionary<PeerId, List<ReadOnlyMemory<byte>>> byHolder, TimeSpan wait, CancellationToken cancellationToken) =>
        byHolder.SelectMany(entry => entry.Value.Chunk(_localStore.Options.MaxFetchAddresses)
            .Select(batch => WaitAtAsync(route, entry.Key, batch, wait, cancellationToken))).ToList();

    /// <summary>
    /// Looks up the holders of <paramref name="unresolved"/> and waits at those that <paramref name="alreadyWaitingAt"/>
    /// does not cover yet (read only after the lookups: the caller no longer changes it).
    /// </summary>
    private async Task<IReadOnlyList<byte[]>> WaitAtLookedUpHoldersAsync(
        IMailboxRoute route, List<byte[]> unresolved, Dictionary<PeerId, List<ReadOnlyMemory<byte>>> alreadyWaitingAt, TimeSpan wait, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        ConcurrentDictionary<byte[], IReadOnlyList<PeerId>> holdersOf;
        try
        {
            holdersOf = await ResolveAllAsync(route, unresolved, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidDataException or InvalidOperationException or OperationCanceledException)
        {
            // The waits at the holders the table named go on; a failed lookup is tried again by the next watch.
            MailboxLog.HolderLookupFailed(_logger, unresolved.Count, e.Message);
            return [];
        }
        var missing = new Dictionary<PeerId, List<ReadOnlyMemory<byte>>>();
        foreach (var (address, holders) in holdersOf)
        {
            var notYet = holders.Where(h => !alreadyWaitingAt.TryGetValue(h, out var asked) || !asked.Any(a => a.Span.SequenceEqual(address))).ToList();
            AddToGroups(missing, address, notYet);
        }
        var left = wait - Stopwatch.GetElapsedTime(started);
        return missing.Count == 0 || left <= TimeSpan.Zero
            ? []
            : await EnvelopeWaits.FirstWithEnvelopesAsync(WaitAtAll(route, missing, left, cancellationToken)).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<byte[]>> WaitAtAsync(
        IMailboxRoute route, PeerId holder, ReadOnlyMemory<byte>[] batch, TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            return await route.Store.FetchAsync(holder, batch, wait, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidDataException or InvalidOperationException or OperationCanceledException)
        {
            MailboxLog.FetchFailed(_logger, holder.ToString(), e.Message);
            return [];
        }
    }

    private async Task<IReadOnlyList<PeerId>> HoldersAsync(IMailboxRoute route, byte[] address, CancellationToken cancellationToken)
    {
        // A lookup, not the routing table: only peers that answer it are returned, so a store never waits on a holder
        // that has gone (the table keeps a departed peer until a liveness check drops it).
        var remote = await route.FindHoldersAsync(address, cancellationToken).ConfigureAwait(false);
        var target = KadId.FromKey(address);
        return remote.Append(_self)
            .OrderBy(p => KadId.FromPeerId(p), Comparer<KadId>.Create(target.CompareDistance))
            .Take(_overlay.Options.Replication)
            .ToList();
    }
}
