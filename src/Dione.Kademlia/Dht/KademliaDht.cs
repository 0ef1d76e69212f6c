using System.Runtime.CompilerServices;
using Dione.Kademlia.Bootstrap;
using Dione.Kademlia.Lookup;
using Dione.Kademlia.Protos;
using Dione.Kademlia.Records;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Transport.Dnsaddr;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dione.Kademlia.Dht;

/// <summary>
/// A Kademlia DHT node on a libp2p host: routing table and its manager, server (in server mode), client, lookups,
/// SQLite record and provider stores, namespaced record validation, bootstrap, and background upkeep (bucket refresh,
/// pruning of expired entries, republishing of our provider records). The protocol id is a setting, so one host can
/// run several DHTs (Amino, LAN, an overlay) side by side.
/// </summary>
/// <remarks>
/// <para>The host is the caller's: it must be started before <see cref="StartAsync"/> and is not disposed here.</para>
/// <para>In <see cref="DhtMode.Auto"/> the node starts as a server when one of its advertised addresses is public, and
/// becomes one when a peer reports (identify's observed address) a public address for it; it does not go back.</para>
/// </remarks>
public sealed class KademliaDht : IAsyncDisposable
{
    /// <summary>Due keys read from the database at once while republishing.</summary>
    private const int RepublishBatch = 256;

    private readonly ILibp2pHost _host;
    private readonly KadOptions _kad;
    private readonly ITxtResolver? _txtResolver;
    private readonly ILogger _logger;
    private readonly RoutingTableManager _manager;
    private readonly SemaphoreSlim _republishWake = new(0, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly List<Task> _background = [];
    private SqliteRecordStore? _records;
    private SqliteProviderStore? _providers;
    private SqliteProvidedKeyStore? _providedKeys;
    private KadServer? _server;
    private int _state;

    /// <param name="host">A started host.</param>
    /// <param name="options">Settings; defaults otherwise.</param>
    /// <param name="txtResolver">DNS TXT lookups for <c>/dnsaddr</c> bootstrap addresses; the system's name servers by default.</param>
    /// <param name="logger">Optional logger.</param>
    public KademliaDht(ILibp2pHost host, KademliaDhtOptions? options = null, ITxtResolver? txtResolver = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        Options = options ?? new KademliaDhtOptions();
        Options.Validate();
        _host = host;
        _txtResolver = txtResolver;
        _logger = logger ?? NullLogger.Instance;
        _kad = Options.Kad with { Mode = KadMode.Client };
        RoutingTable = new RoutingTable(host.PeerId, _kad.BucketSize, _kad.ReplacementCacheSize, _kad.TimeProvider)
        {
            Diversity = _kad.AllowsPrivateAddresses ? null : new IpDiversityLimits(_kad.MaxPeersPerIpGroupPerBucket, _kad.MaxPeersPerIpGroup),
        };
        Client = new KadClient(host, _kad, _logger);
        Lookups = new LookupEngine(Client, host.PeerId, Options.Lookup);
        Validator = NamespacedValidator.CreateDefault(_kad.TimeProvider);
        _manager = new RoutingTableManager(host, RoutingTable, Client, _kad, _logger);
    }

    public KademliaDhtOptions Options { get; }

    public string ProtocolId => _kad.ProtocolId;

    public PeerId PeerId => _host.PeerId;

    public RoutingTable RoutingTable { get; }

    /// <summary>Keeps <see cref="RoutingTable"/> in step with identify (address filter, IP diversity, admission and liveness checks).</summary>
    public RoutingTableManager RoutingTableManager => _manager;

    public KadClient Client { get; }

    public LookupEngine Lookups { get; }

    /// <summary>The record validator: <c>pk</c> and <c>ipns</c>; call <see cref="NamespacedValidator.Register"/> for more.</summary>
    public NamespacedValidator Validator { get; }

    /// <summary>The mode in effect now (client until <see cref="StartAsync"/>).</summary>
    public KadMode CurrentMode => _server?.Mode ?? KadMode.Client;

    /// <summary>Raised after a bucket (its CPL) was refreshed by <see cref="RefreshBucketsAsync"/> or the background upkeep.</summary>
    public event EventHandler<int>? BucketRefreshed;

    /// <summary>Raised with every request a peer sends this node's server, before it is answered (see <see cref="KadServer.RequestReceived"/>).</summary>
    public event Action<PeerId, Message>? RequestReceived;

    /// <summary>Raised after each look for provided keys due for announcement, with how many were announced to at least one peer.</summary>
    public event EventHandler<int>? ProvidersRepublished;

    /// <summary>Raised when the mode in effect changes.</summary>
    public event EventHandler<KadMode>? ModeChanged;

    /// <summary>Opens the stores, starts the server (in server mode), the routing table manager and the background upkeep.</summary>
    /// <exception cref="InvalidOperationException">already started or disposed.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("the DHT was already started or is disposed");
        }
        _records = await SqliteRecordStore.OpenAsync(Options.DatabasePath, Options.RecordStore, _kad.TimeProvider, _logger, cancellationToken).ConfigureAwait(false);
        _providers = await SqliteProviderStore.OpenAsync(Options.DatabasePath, Options.ProviderStore, _kad.TimeProvider, _logger, cancellationToken).ConfigureAwait(false);
        _providedKeys = await SqliteProvidedKeyStore.OpenAsync(Options.DatabasePath, Options.MaxProvidedKeys, _kad.MaxProviderKeyLength, cancellationToken).ConfigureAwait(false);
        var mode = Options.Mode switch
        {
            DhtMode.Server => KadMode.Server,
            DhtMode.Auto when _host.AdvertisedAddresses().Any(PublicAddress.IsPublic) => KadMode.Server,
            _ => KadMode.Client,
        };
        _server = new KadServer(_host, RoutingTable, _records, _providers, Validator, _kad with { Mode = mode }, _logger);
        _server.RequestReceived += (from, request) => RequestReceived?.Invoke(from, request);
        _server.Start();
        DhtLog.Mode(_logger, ProtocolId, mode);
        if (Options.Mode == DhtMode.Auto)
        {
            _host.PeerIdentified += OnPeerIdentified;
        }
        _manager.Start();
        var token = _lifetime.Token;
        _background.Add(RunPeriodicallyAsync("refresh", Options.RefreshCheckInterval, ct => RefreshBucketsAsync(ct), token));
        _background.Add(RunPeriodicallyAsync("prune", Options.PruneInterval, PruneAsync, token));
        _background.Add(RunRepublishLoopAsync(token));
    }

    /// <summary>
    /// Resolves <c>/dnsaddr</c> entries, dials every peer (each within <see cref="KademliaDhtOptions.BootstrapDialTimeout"/>,
    /// waiting for identify so that servers enter the routing table), then runs a lookup of our own id.
    /// </summary>
    /// <param name="peers">Addresses ending in <c>/p2p/ID</c>, or <c>/dnsaddr/…</c>.</param>
    /// <returns>How many peers were connected.</returns>
    public async Task<int> BootstrapAsync(IEnumerable<Multiaddress> peers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peers);
        EnsureStarted();
        var resolver = new DnsaddrResolver(_txtResolver ?? new DnsTxtResolver(logger: _logger), logger: _logger);
        var resolved = (await BootstrapPeers.ResolveAsync(resolver, peers, _logger, cancellationToken).ConfigureAwait(false))
            .Where(p => p.Id != _host.PeerId && p.Addresses.Count > 0).ToList();
        var outcomes = await Task.WhenAll(resolved.Select(p => ConnectAsync(p, cancellationToken))).ConfigureAwait(false);
        var connected = outcomes.Count(ok => ok);
        DhtLog.Bootstrapped(_logger, connected, resolved.Count);
        if (connected > 0)
        {
            await GetClosestPeersAsync(_host.PeerId.ToBytes(), cancellationToken: cancellationToken).ConfigureAwait(false);
            WakeRepublisher();
        }
        return connected;
    }

    /// <summary>The k peers closest to <paramref name="key"/> that answered a lookup.</summary>
    public async Task<LookupResult> GetClosestPeersAsync(byte[] key, IProgress<LookupProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        EnsureStarted();
        var result = await Lookups.FindClosestPeersAsync(key, Seeds(key), progress, cancellationToken).ConfigureAwait(false);
        RoutingTable.MarkRefreshed(KadId.FromKey(key));
        return result;
    }

    /// <summary>The addresses of <paramref name="peer"/>: from the open connection when there is one, else by lookup.</summary>
    public async Task<FindPeerResult> FindPeerAsync(PeerId peer, IProgress<LookupProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        EnsureStarted();
        if (_host.FindConnection(peer) is not null && _host.Peers.Get(peer)?.Addresses is { Count: > 0 } known)
        {
            return new FindPeerResult(new KadPeer(peer, known, Message.Types.ConnectionType.Connected),
                new LookupStats(0, 0, 0, 0, TimeSpan.Zero, LookupTermination.Satisfied));
        }
        var key = peer.ToBytes();
        var result = await Lookups.FindPeerAsync(peer, Seeds(key), progress, cancellationToken).ConfigureAwait(false);
        if (result.Peer is { Addresses.Count: > 0 } found)
        {
            _host.Peers.AddAddresses(peer, found.Addresses);
        }
        return result;
    }

    /// <summary>
    /// The best valid record for <paramref name="key"/> among ours and the network's (quorum and correction as
    /// <see cref="LookupEngine.GetValueAsync"/>).
    /// </summary>
    public async Task<GetValueResult> GetValueAsync(byte[] key, IProgress<LookupProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        EnsureStarted();
        var local = await GetLocalValueAsync(key, cancellationToken).ConfigureAwait(false);
        var remote = await Lookups.GetValueAsync(key, Seeds(key), Validator, progress, cancellationToken).ConfigureAwait(false);
        RoutingTable.MarkRefreshed(KadId.FromKey(key));
        if (local is null)
        {
            return remote;
        }
        var best = remote.Value is null ? local : (Validator.Select(key, [remote.Value, local]) == 0 ? remote.Value : local);
        return remote with { Value = best, ValidRecords = remote.ValidRecords + 1 };
    }

    /// <summary>Validates the record, stores it here, and sends it to the k closest peers.</summary>
    /// <exception cref="RecordValidationException">the record is invalid, or a better one is stored here.</exception>
    public async Task<StoreResult> PutValueAsync(byte[] key, byte[] value, IProgress<LookupProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        var records = EnsureStarted();
        Validator.Validate(key, value);
        var existing = await GetLocalValueAsync(key, cancellationToken).ConfigureAwait(false);
        if (existing is not null && !existing.AsSpan().SequenceEqual(value) && Validator.Select(key, [value, existing]) != 0)
        {
            throw new RecordValidationException("a better record for this key is already stored");
        }
        var record = new Record { Key = ByteString.CopyFrom(key), Value = ByteString.CopyFrom(value) };
        var stored = record.Clone();
        stored.TimeReceived = RecordTimestamp.Format(_kad.TimeProvider.GetUtcNow());
        await records.PutAsync(stored, cancellationToken).ConfigureAwait(false);
        return await Lookups.PutValueAsync(record, Seeds(key), progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Announces that we provide <paramref name="key"/> (a multihash): stored here, sent (ADD_PROVIDER, with our
    /// advertised addresses) to the k closest peers, remembered in the database, and announced again
    /// <see cref="KademliaDhtOptions.ProviderRepublishInterval"/> after each announcement that reached a peer, across
    /// restarts, until <see cref="StopProvidingAsync"/>.
    /// </summary>
    /// <exception cref="ArgumentException">the key is empty or longer than <see cref="KadOptions.MaxProviderKeyLength"/>.</exception>
    /// <exception cref="StoreLimitException">we already provide <see cref="KademliaDhtOptions.MaxProvidedKeys"/> other keys.</exception>
    public async Task<StoreResult> ProvideAsync(byte[] key, IProgress<LookupProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0 || key.Length > _kad.MaxProviderKeyLength)
        {
            throw new ArgumentException($"a provider key has 1 to {_kad.MaxProviderKeyLength} bytes", nameof(key));
        }
        EnsureStarted();
        // Remembered as announced now, so the republish loop does not announce it a second time meanwhile; set back
        // to "never" when the announcement reaches no peer, so the loop retries it.
        await _providedKeys!.AddAsync(key, cancellationToken, _kad.TimeProvider.GetUtcNow()).ConfigureAwait(false);
        StoreResult? result = null;
        try
        {
            result = await AnnounceAsync(key, progress, cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            if (result is not { Stored.Count: > 0 })
            {
                await _providedKeys.MarkProvidedAsync(key, DateTimeOffset.UnixEpoch, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Stops announcing <paramref name="key"/> again (records already sent expire with their lifetime, and our own
    /// entry here stays until it does). False when we did not provide it.
    /// </summary>
    public Task<bool> StopProvidingAsync(byte[] key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        EnsureStarted();
        return _providedKeys!.RemoveAsync(key, cancellationToken);
    }

    /// <summary>
    /// Announces again every provided key whose last announcement is older than
    /// <see cref="KademliaDhtOptions.ProviderRepublishInterval"/> (or never reached a peer), as the background loop does.
    /// Nothing is sent while the routing table is empty. Returns how many keys reached at least one peer.
    /// </summary>
    public async Task<int> RepublishDueProvidersAsync(CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        var announced = 0;
        if (RoutingTable.Count > 0)
        {
            // Keys are taken oldest announcement first; those that reach no peer stay due and keep their place at the
            // front, so they are skipped when the next batch is read. A key seen twice ends the pass (the set changed).
            var tried = new HashSet<string>(StringComparer.Ordinal);
            var unreached = 0;
            var cutoff = _kad.TimeProvider.GetUtcNow() - Options.ProviderRepublishInterval;
            while (true)
            {
                var due = await _providedKeys!.GetDueAsync(cutoff, RepublishBatch, unreached, cancellationToken).ConfigureAwait(false);
                var fresh = due.Where(k => tried.Add(Convert.ToHexString(k))).ToList();
                if (fresh.Count == 0)
                {
                    break;
                }
                foreach (var key in fresh)
                {
                    var result = await AnnounceAsync(key, null, cancellationToken).ConfigureAwait(false);
                    if (result.Stored.Count > 0)
                    {
                        announced++;
                    }
                    else
                    {
                        unreached++;
                    }
                }
            }
        }
        DhtLog.Republished(_logger, announced);
        ProvidersRepublished?.Invoke(this, announced);
        return announced;
    }

    /// <summary>
    /// Providers of <paramref name="key"/>: those stored here first, then the network's as lookup replies bring them,
    /// distinct by peer id, at most <paramref name="maxProviders"/> (default <see cref="KademliaDhtOptions.MaxProvidersPerLookup"/>).
    /// </summary>
    public async IAsyncEnumerable<KadPeer> FindProvidersAsync(
        byte[] key,
        int? maxProviders = null,
        IProgress<LookupProgress>? progress = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        EnsureStarted();
        var max = maxProviders ?? Options.MaxProvidersPerLookup;
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var seen = new HashSet<PeerId>();
        foreach (var local in await _providers!.GetAsync(key, max, cancellationToken).ConfigureAwait(false))
        {
            if (seen.Add(local.PeerId))
            {
                yield return local;
            }
        }
        if (seen.Count >= max)
        {
            yield break;
        }
        await foreach (var found in Lookups.FindProvidersAsync(key, Seeds(key), max, progress, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!seen.Add(found.PeerId))
            {
                continue;
            }
            yield return found;
            if (seen.Count >= max)
            {
                yield break;
            }
        }
        RoutingTable.MarkRefreshed(KadId.FromKey(key));
    }

    /// <summary>The valid record stored here for <paramref name="key"/>, or null.</summary>
    public async Task<byte[]?> GetLocalValueAsync(byte[] key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var records = EnsureStarted();
        var record = await records.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return null;
        }
        var value = record.Value.ToByteArray();
        try
        {
            Validator.Validate(key, value);
            return value;
        }
        catch (RecordValidationException)
        {
            return null;
        }
    }

    /// <summary>The providers of <paramref name="key"/> stored here.</summary>
    public Task<IReadOnlyList<KadPeer>> GetLocalProvidersAsync(byte[] key, CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        return _providers!.GetAsync(key, _kad.MaxProviders, cancellationToken);
    }

    /// <summary>Refreshes every bucket not looked up within <see cref="KademliaDhtOptions.BucketRefreshInterval"/>: a
    /// lookup of a random peer id in it. Returns how many buckets were refreshed.</summary>
    public async Task<int> RefreshBucketsAsync(CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        if (RoutingTable.Count == 0)
        {
            return 0;
        }
        var refreshed = 0;
        foreach (var cpl in RoutingTable.BucketsNotRefreshedSince(Options.BucketRefreshInterval))
        {
            if (!RoutingTable.TryRandomPeerIdInBucket(cpl, out var target) || target is null)
            {
                continue;
            }
            var result = await GetClosestPeersAsync(target.ToBytes(), cancellationToken: cancellationToken).ConfigureAwait(false);
            RoutingTable.MarkRefreshed(cpl);
            DhtLog.BucketRefreshed(_logger, cpl, result.ClosestPeers.Count);
            BucketRefreshed?.Invoke(this, cpl);
            refreshed++;
        }
        return refreshed;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) == 2)
        {
            return;
        }
        _host.PeerIdentified -= OnPeerIdentified;
        await _lifetime.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_background).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The loops end with the cancellation; a lookup that ignores it is abandoned.
        }
        _server?.Stop();
        await _manager.DisposeAsync().ConfigureAwait(false);
        if (_records is not null)
        {
            await _records.DisposeAsync().ConfigureAwait(false);
        }
        if (_providers is not null)
        {
            await _providers.DisposeAsync().ConfigureAwait(false);
        }
        if (_providedKeys is not null)
        {
            await _providedKeys.DisposeAsync().ConfigureAwait(false);
        }
        _lifetime.Dispose();
        _republishWake.Dispose();
    }

    private SqliteRecordStore EnsureStarted()
    {
        ObjectDisposedException.ThrowIf(_state == 2, this);
        return _state == 1 && _records is not null ? _records : throw new InvalidOperationException("the DHT is not started");
    }

    /// <summary>The k closest peers of our table to <paramref name="key"/>, with the addresses the peer store knows.</summary>
    private List<KadPeer> Seeds(byte[] key) =>
        [.. RoutingTable.NearestPeers(KadId.FromKey(key), Options.Lookup.K)
            .Select(e => new KadPeer(e.PeerId, _host.Peers.Get(e.PeerId)?.Addresses ?? []))];

    private async Task<bool> ConnectAsync(BootstrapPeer peer, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.BootstrapDialTimeout);
        try
        {
            _host.Peers.AddAddresses(peer.Id, peer.Addresses);
            await _host.DialAsync(peer.Id, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            DhtLog.BootstrapPeerFailed(_logger, peer.Id.ToString(), e.Message);
            return false;
        }
        try
        {
            var info = await _host.WaitForIdentifiedAsync(peer.Id, timeout.Token).ConfigureAwait(false);
            // The self-lookup that follows starts from the table: let the admission check of this peer finish first.
            _manager.Consider(info);
            await _manager.WhenAdmissionSettled(peer.Id).WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Connected, but identify (or the admission check) did not finish: the connection still counts.
            DhtLog.BootstrapPeerFailed(_logger, peer.Id.ToString(), "identify: " + e.Message);
        }
        return true;
    }

    /// <summary>Sends our provider record for <paramref name="key"/>; a send that reached a peer is remembered as the last announcement.</summary>
    private async Task<StoreResult> AnnounceAsync(byte[] key, IProgress<LookupProgress>? progress, CancellationToken cancellationToken)
    {
        var addresses = Options.AnnouncedAddresses ?? _host.AdvertisedAddresses();
        await _providers!.AddAsync(key, new KadPeer(_host.PeerId, addresses), cancellationToken).ConfigureAwait(false);
        var result = await Lookups.ProvideAsync(key, addresses, Seeds(key), progress, cancellationToken).ConfigureAwait(false);
        if (result.Stored.Count > 0)
        {
            await _providedKeys!.MarkProvidedAsync(key, _kad.TimeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        return result;
    }

    private void WakeRepublisher()
    {
        try
        {
            if (_republishWake.CurrentCount == 0)
            {
                _republishWake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    /// <summary>Looks for due keys every check interval, and whenever a bootstrap connected.</summary>
    private async Task RunRepublishLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    var delay = Task.Delay(Options.ProviderRepublishCheckInterval, _kad.TimeProvider, wait.Token);
                    var woken = _republishWake.WaitAsync(wait.Token);
                    await Task.WhenAny(delay, woken).ConfigureAwait(false);
                    await wait.CancelAsync().ConfigureAwait(false);
                }
                cancellationToken.ThrowIfCancellationRequested();
                await RepublishDueProvidersAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                DhtLog.BackgroundFailed(_logger, "republish", e.Message);
            }
        }
    }

    private void OnPeerIdentified(object? sender, PeerInfo info)
    {
        if (_server is { Mode: KadMode.Client } server && info.ObservedAddress is { } observed && PublicAddress.IsPublic(observed))
        {
            server.SetMode(KadMode.Server);
            DhtLog.Mode(_logger, ProtocolId, KadMode.Server);
            ModeChanged?.Invoke(this, KadMode.Server);
        }
    }

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        var records = await _records!.PruneExpiredAsync(cancellationToken).ConfigureAwait(false);
        var providers = await _providers!.PruneExpiredAsync(cancellationToken).ConfigureAwait(false);
        DhtLog.Pruned(_logger, records, providers);
    }

    private async Task RunPeriodicallyAsync(string name, TimeSpan interval, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _kad.TimeProvider, cancellationToken).ConfigureAwait(false);
                await work(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                DhtLog.BackgroundFailed(_logger, name, e.Message);
            }
        }
    }
}
