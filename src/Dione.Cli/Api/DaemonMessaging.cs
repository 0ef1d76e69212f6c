using Dione.Kademlia;
using Dione.Libp2p.Host;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Messenger.Conversations;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Persistence;
using Microsoft.Extensions.Logging;

namespace Dione.Cli.Api;

/// <summary>
/// The daemon's messaging: the mailbox service (overlay, envelope store, <c>/dione/1.0</c>) on the daemon's host with
/// the public DHT for rendezvous, and the person's messenger, both in the repo's one SQLite file (separate tables).
/// <see cref="StartLoop"/> starts the background polling and outbox retries; disposing stops them, then closes both.
/// </summary>
public sealed class DaemonMessaging : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    private DaemonMessaging(MailboxService mailbox, MessengerDatabase database, DioneMessenger messenger)
    {
        Mailbox = mailbox;
        Database = database;
        Messenger = messenger;
    }

    public MailboxService Mailbox { get; }

    public MessengerDatabase Database { get; }

    public DioneMessenger Messenger { get; }

    /// <param name="host">The daemon's started host.</param>
    /// <param name="publicDht">The daemon's started public DHT (rendezvous with other Dione nodes).</param>
    /// <param name="databasePath">The repo's database file.</param>
    /// <param name="allowPrivateAddresses">The public DHT's choice, applied to the overlay as well (null: refused).</param>
    /// <param name="pollInterval">How often the messenger polls its mailbox addresses and retries its outbox.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<DaemonMessaging> StartAsync(
        Libp2pHost host, KademliaDht publicDht, string databasePath, bool? allowPrivateAddresses, TimeSpan pollInterval, ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var options = new MailboxServiceOptions
        {
            DatabasePath = databasePath,
            OverlayDht = new KademliaDhtOptions { Kad = new KadOptions { AllowPrivateAddresses = allowPrivateAddresses ?? false } },
        };
        var mailbox = await MailboxService.StartAsync(host, publicDht, options, loggerFactory.CreateLogger<MailboxService>(), cancellationToken).ConfigureAwait(false);
        MessengerDatabase? database = null;
        try
        {
            database = await MessengerDatabase.OpenAsync(databasePath, cancellationToken: cancellationToken).ConfigureAwait(false);
            var messenger = await DioneMessenger.OpenAsync(database, mailbox.Client, new MessengerOptions { PollInterval = pollInterval },
                logger: loggerFactory.CreateLogger<DioneMessenger>(), cancellationToken: cancellationToken).ConfigureAwait(false);
            return new DaemonMessaging(mailbox, database, messenger);
        }
        catch
        {
            if (database is not null)
            {
                await database.DisposeAsync().ConfigureAwait(false);
            }
            await mailbox.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Joins the overlay through <paramref name="peers"/> (the public DHT's bootstrap peers: a local swarm forms its
    /// overlay even with no public DHT peer in common) and publishes the prekeys at the holders now known. A failure
    /// is left to the loop, which publishes again when it starts.
    /// </summary>
    public async Task JoinAsync(IReadOnlyList<Multiaddress> peers, CancellationToken cancellationToken)
    {
        try
        {
            await Mailbox.Overlay.BootstrapAsync(peers, cancellationToken).ConfigureAwait(false);
            await Messenger.PublishPrekeysAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
        {
        }
    }

    /// <summary>Starts the messenger's loop: prekey publication, polling and outbox retries every poll interval.</summary>
    public void StartLoop()
    {
        lock (_stop)
        {
            if (!_stop.IsCancellationRequested)
            {
                _loop ??= Messenger.RunAsync(_stop.Token);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_stop)
        {
            _stop.Cancel();
        }
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        await Database.DisposeAsync().ConfigureAwait(false);
        await Mailbox.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
