using Dione.Kademlia;
using Dione.Kademlia.Dht;
using Dione.Libp2p.Host;
using Dione.Messenger.Overlay;
using Dione.Messenger.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dione.Messenger.Mailbox;

/// <summary>
/// Everything a Dione node runs for mailboxes: the overlay, the envelope store and its <c>/dione/1.0</c> server (for
/// the addresses this node holds), the client that stores and fetches at the holders, and the upkeep (pruning
/// expired envelopes and tombstones, sending on the deletions this node made as a holder, re-replicating what it holds).
/// </summary>
public sealed class MailboxService : IAsyncDisposable
{
    private readonly CancellationTokenSource _lifetime = new();
    private readonly List<Task> _background = [];
    private readonly ILogger _logger;

    private MailboxService(DioneOverlay overlay, SqliteEnvelopeStore store, DioneStoreServer server, MailboxClient client, ILogger logger)
    {
        Overlay = overlay;
        Store = store;
        Server = server;
        Client = client;
        _logger = logger;
    }

    public DioneOverlay Overlay { get; }

    public SqliteEnvelopeStore Store { get; }

    public DioneStoreServer Server { get; }

    public MailboxClient Client { get; }

    /// <summary>Opens the store, starts the overlay and the store server, and the background upkeep.</summary>
    /// <param name="host">A started host.</param>
    /// <param name="publicDht">The public DHT to meet other Dione nodes through, or null (bootstrap the overlay directly).</param>
    /// <param name="newEphemeralHost">
    /// Builds a host for a throwaway identity (a fresh key, no listen address, <paramref name="host"/>'s peer store);
    /// null, or <see cref="MailboxServiceOptions.EphemeralIdentities"/> off: a person's traffic goes out under <paramref name="host"/>'s own peer id.
    /// </param>
    /// <param name="time">The clock the throwaway identities age by; the system's by default.</param>
    public static async Task<MailboxService> StartAsync(
        ILibp2pHost host, KademliaDht? publicDht, MailboxServiceOptions? options = null, ILogger? logger = null,
        Func<Libp2pHost>? newEphemeralHost = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        options ??= new MailboxServiceOptions();
        logger ??= NullLogger.Instance;
        var store = await SqliteEnvelopeStore.OpenAsync(options.DatabasePath, options.Store, cancellationToken: cancellationToken).ConfigureAwait(false);
        var overlay = new DioneOverlay(host, publicDht, options.Overlay, options.OverlayDht, logger);
        try
        {
            await overlay.StartAsync(cancellationToken).ConfigureAwait(false);
            var policy = new HolderPolicy(overlay.Dht.RoutingTable, options.Overlay.HolderSlack);
            var server = new DioneStoreServer(host, store, address => policy.Holds(address.Span),
                new PeerRateLimiter(options.RequestsPerSecondPerPeer, options.RequestBurstPerPeer), logger: logger, observer: options.StoreObserver);
            server.Start();
            var ephemeral = options.EphemeralIdentities && newEphemeralHost is not null
                ? new EphemeralIdentities(newEphemeralHost, overlay, host.PeerId, options, time)
                : null;
            var client = new MailboxClient(overlay, new DioneStoreClient(host), store, host.PeerId, ephemeral, logger);
            var service = new MailboxService(overlay, store, server, client, logger);
            service.StartUpkeep(options);
            return service;
        }
        catch
        {
            await overlay.DisposeAsync().ConfigureAwait(false);
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_background).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Server.Stop();
        await Client.DisposeAsync().ConfigureAwait(false);
        await Overlay.DisposeAsync().ConfigureAwait(false);
        await Store.DisposeAsync().ConfigureAwait(false);
        _lifetime.Dispose();
    }

    private void StartUpkeep(MailboxServiceOptions options)
    {
        var token = _lifetime.Token;
        _background.Add(EveryAsync(options.PruneInterval, ct => Store.PruneExpiredAsync(ct), token));
        _background.Add(EveryAsync(options.Overlay.RereplicationInterval, ct => Client.PropagateDeletionsAsync(ct), token));
        _background.Add(EveryAsync(options.Overlay.RereplicationInterval, ct => Client.RereplicateAsync(ct), token));
    }

    private async Task EveryAsync(TimeSpan interval, Func<CancellationToken, Task<int>> work, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await work(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
                {
                    MailboxLog.FetchFailed(_logger, "upkeep", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
