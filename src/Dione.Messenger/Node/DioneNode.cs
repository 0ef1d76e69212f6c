using Dione.Kademlia;
using Dione.Kademlia.Dht;
using Dione.Libp2p.Host;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Messenger.Conversations;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Overlay;
using Dione.Messenger.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dione.Messenger.Node;

/// <summary>
/// The one place a Dione node is put together: a libp2p host, the public Kademlia DHT, the mailbox (overlay and
/// envelope store) and a person's messenger, each optional (<see cref="DioneNodeOptions"/>). The daemon, the CLI's
/// short-lived nodes, the demo, the tests and the benchmarks all build their nodes here.
/// </summary>
/// <remarks>
/// Lifecycle: construction builds the host (not yet listening, so its protocols and peer id can be read);
/// <see cref="StartAsync"/> starts host, DHT, mailbox and opens the messenger, in that order; <see cref="JoinAsync"/>
/// bootstraps through <see cref="DioneNodeOptions.BootstrapPeers"/>; <see cref="StartMessengerLoop"/> starts the
/// messenger's loop. <see cref="DisposeAsync"/> stops them in the reverse order.
/// </remarks>
public sealed class DioneNode : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstJoin = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILoggerFactory _loggerFactory;
    private KademliaDht? _dht;
    private MailboxService? _mailbox;
    private MessengerDatabase? _database;
    private DioneMessenger? _messenger;
    private Task? _loop;
    private Task? _keepingJoined;
    private bool _disposed;

    /// <summary>Builds the host; nothing runs until <see cref="StartAsync"/>.</summary>
    /// <exception cref="ArgumentException">the options are inconsistent.</exception>
    public DioneNode(DioneNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var builder = new Libp2pHostBuilder().WithAgentVersion(options.AgentVersion).WithLimits(options.Limits).WithLoggerFactory(_loggerFactory);
        if (options.Identity is not null)
        {
            builder.WithIdentity(options.Identity);
        }
        foreach (var address in options.ListenAddresses)
        {
            builder.ListenOn(address);
        }
        Host = builder.Build();
    }

    public DioneNodeOptions Options { get; }

    public Libp2pHost Host { get; }

    /// <summary>The public DHT.</summary>
    /// <exception cref="InvalidOperationException">the node runs no public DHT, or has not started.</exception>
    public KademliaDht Dht => _dht ?? throw NotRunning("public DHT");

    /// <summary>The mailbox: overlay, envelope store and the client that stores and fetches at the holders.</summary>
    /// <exception cref="InvalidOperationException">the node runs no mailbox, or has not started.</exception>
    public MailboxService Mailbox => _mailbox ?? throw NotRunning("mailbox");

    public DioneOverlay Overlay => Mailbox.Overlay;

    /// <summary>The person's messenger.</summary>
    /// <exception cref="InvalidOperationException">the node runs no messenger, or has not started.</exception>
    public DioneMessenger Messenger => _messenger ?? throw NotRunning("messenger");

    /// <summary>The messenger's database: contacts, sessions, outbox and inbox.</summary>
    /// <exception cref="InvalidOperationException">the node runs no messenger, or has not started.</exception>
    public MessengerDatabase MessengerDatabase => _database ?? throw NotRunning("messenger");

    /// <summary>
    /// Completes when the first <see cref="JoinAsync"/> has ended, joined or not, when <see cref="StartAsync"/> finds no
    /// bootstrap peers to join through, or when the node is disposed, so a request that needs the swarm, made to a node
    /// that has just started, can wait for its join. A node never asked to join never completes it: wait with a bound.
    /// </summary>
    public Task FirstJoin => _firstJoin.Task;

    /// <summary>The first listen address with the peer id, for others to dial or bootstrap through.</summary>
    public Multiaddress DialAddress => Host.ListenAddresses[0].WithPeerId(Host.PeerId);

    /// <summary>Starts the host, then the public DHT, the mailbox, and opens the messenger, as the options ask.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">a listen address cannot be bound.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await Host.StartAsync(cancellationToken).ConfigureAwait(false);
        if (Options.BootstrapPeers.Count == 0)
        {
            _firstJoin.TrySetResult();
        }
        if (Options.RunDht)
        {
            _dht = new KademliaDht(Host, Options.Dht with { DatabasePath = Options.DatabasePath }, logger: _loggerFactory.CreateLogger<KademliaDht>());
            await _dht.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        if (Options.RunMailbox)
        {
            _mailbox = await MailboxService.StartAsync(Host, _dht, Options.Mailbox with { DatabasePath = Options.DatabasePath },
                _loggerFactory.CreateLogger<MailboxService>(), NewEphemeralHost, Options.Time, cancellationToken).ConfigureAwait(false);
        }
        if (Options.RunMessenger)
        {
            _database = await MessengerDatabase.OpenAsync(Options.DatabasePath, Options.Time, cancellationToken).ConfigureAwait(false);
            _messenger = await DioneMessenger.OpenAsync(_database, Mailbox.Client, Options.Messenger, Options.Time,
                _loggerFactory.CreateLogger<DioneMessenger>(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Joins through <see cref="DioneNodeOptions.BootstrapPeers"/>: bootstraps the public DHT and meets the Dione nodes
    /// announced there (the overlay's rendezvous, which found nobody when it first ran at start, before the DHT had
    /// peers), bootstraps the overlay through the same peers (a local swarm forms its overlay even with no public DHT
    /// peer in common), then publishes the prekeys where the overlay now reaches when the messenger's loop is to run
    /// (a failure there is left to the loop, which publishes as it starts).
    /// Returns how many bootstrap peers the public DHT reached, or the overlay when there is no public DHT.
    /// </summary>
    public async Task<int> JoinAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await JoinOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _firstJoin.TrySetResult();
            StartKeepingJoined();
        }
    }

    /// <summary>No peer in the overlay, or none in the public DHT when the node runs one: nobody to reach or be reached by.</summary>
    private bool IsAlone =>
        (_mailbox is not null && _mailbox.Overlay.Dht.RoutingTable.Count == 0) || (_dht is not null && _dht.RoutingTable.Count == 0);

    private void StartKeepingJoined()
    {
        lock (_stop)
        {
            if (Options.KeepJoined && Options.BootstrapPeers.Count > 0 && !_stop.IsCancellationRequested)
            {
                var keeper = new BootstrapKeeper(() => IsAlone, JoinOnceAsync, Options.Time ?? TimeProvider.System, _loggerFactory.CreateLogger<BootstrapKeeper>());
                _keepingJoined ??= keeper.RunAsync(_stop.Token);
            }
        }
    }

    private async Task<int> JoinOnceAsync(CancellationToken cancellationToken)
    {
        var peers = Options.BootstrapPeers;
        if (peers.Count == 0)
        {
            return 0;
        }
        var connected = _dht is not null ? await _dht.BootstrapAsync(peers, cancellationToken).ConfigureAwait(false) : 0;
        if (_mailbox is null)
        {
            return connected;
        }
        try
        {
            if (_dht is not null && connected > 0)
            {
                await _mailbox.Overlay.RendezvousAsync(cancellationToken).ConfigureAwait(false);
            }
            var overlayConnected = await _mailbox.Overlay.BootstrapAsync(peers, cancellationToken).ConfigureAwait(false);
            if (_messenger is not null && Options.RunMessengerLoop)
            {
                await _messenger.PublishPrekeysAsync(cancellationToken).ConfigureAwait(false);
            }
            return _dht is null ? overlayConnected : connected;
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
        {
            return connected;
        }
    }

    /// <summary>
    /// Starts the messenger's loop when the options ask for it: prekey publication, polling and outbox retries every
    /// poll interval, and meanwhile a watch (waiting FETCH requests) so a message is opened as soon as it is stored.
    /// </summary>
    public void StartMessengerLoop()
    {
        lock (_stop)
        {
            if (_messenger is not null && Options.RunMessengerLoop && !_stop.IsCancellationRequested)
            {
                _loop ??= _messenger.RunAsync(_stop.Token);
            }
        }
    }

    /// <summary>Stops the messenger's loop, then closes the messenger, the mailbox, the DHT and the host. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_stop)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _stop.Cancel();
            _firstJoin.TrySetResult();
        }
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        if (_keepingJoined is not null)
        {
            await _keepingJoined.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        if (_database is not null)
        {
            await _database.DisposeAsync().ConfigureAwait(false);
        }
        if (_mailbox is not null)
        {
            await _mailbox.DisposeAsync().ConfigureAwait(false);
        }
        if (_dht is not null)
        {
            await _dht.DisposeAsync().ConfigureAwait(false);
        }
        await Host.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>
    /// A host for one of the mailbox's throwaway identities: a fresh key, no listen address, nothing served beyond
    /// identify and ping, and this node's peer store so it can dial every peer this node knows.
    /// </summary>
    private Libp2pHost NewEphemeralHost() =>
        new Libp2pHostBuilder().WithAgentVersion(Options.AgentVersion).WithPerf(false).WithPeerStore(Host.Peers).WithLoggerFactory(_loggerFactory).Build();

    private InvalidOperationException NotRunning(string part) =>
        new($"this node runs no {part}{(_disposed ? " (disposed)" : "")}: see DioneNodeOptions, and start the node first");
}
