using System.CommandLine;
using Dione.Cli.Api;
using Dione.Cli.Repo;
using Dione.Kademlia;
using Dione.Kademlia.Dht;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Messenger.Conversations;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Node;
using Microsoft.Extensions.Logging;

namespace Dione.Cli.Commands;

/// <summary><c>dione daemon</c>: runs the node until Ctrl-C or SIGTERM.</summary>
public static class DaemonCommand
{
    public const string DefaultPollInterval = "2s";

    /// <summary>
    /// How long after start a daemon whose overlay has no peer says so: time for peers that bootstrap through it to
    /// arrive (its own join through its bootstrap peers is waited for as well).
    /// </summary>
    public static readonly TimeSpan OverlayCheckDelay = TimeSpan.FromSeconds(5);

    public static Command Create()
    {
        var listen = new Option<string[]>("--listen")
        {
            Description = "Multiaddr to listen on (repeatable; replaces the config's Addresses.Swarm)",
            AllowMultipleArgumentsPerToken = false,
        };
        var bootstrap = DhtOptions.Bootstrap();
        var mode = new Option<string>("--dht-mode") { Description = "DHT mode: client, server or auto (server once a public address is known)", DefaultValueFactory = _ => "auto" };
        mode.AcceptOnlyFromAmong("client", "server", "auto");
        var api = new Option<string>("--api")
        {
            Description = "Loopback multiaddr for the HTTP API (default: the config's Addresses.API, " + ApiAddress.Default + "; port 0 picks a free one)",
        };
        var allowPrivate = DhtOptions.AllowPrivateAddresses();
        var pollInterval = new Option<string>("--poll-interval")
        {
            Description = "How often messaging polls the mailbox and retries unacknowledged sends (a duration: 500ms, 2s, 1m)",
            DefaultValueFactory = _ => DefaultPollInterval,
        };
        var maxUnanswered = new Option<int?>("--max-unanswered-sessions")
        {
            Description = "How many sessions others started may wait unanswered; beyond that a stranger's first message is refused "
                + $"(default: the config's Messenger.MaxUnansweredSessions, {MessengerOptions.DefaultMaxUnansweredSessions})",
        };
        var command = new Command("daemon", "Run a node until interrupted") { listen, bootstrap, mode, api, allowPrivate, pollInterval, maxUnanswered };
        command.SetAction(async (parse, invocationToken) =>
        {
            using var shutdown = new DaemonShutdown(invocationToken);
            var cancellationToken = shutdown.Token;
            var repo = DioneRepo.Open(DioneRepo.ResolvePath(parse.GetValue(CommonOptions.Repo)));
            var requested = parse.GetValue(listen) is { Length: > 0 } given ? given : [.. repo.Config.Addresses.Swarm];
            var poll = DurationText.Parse(parse.GetValue(pollInterval)!, "poll interval");
            var unansweredLimit = parse.GetValue(maxUnanswered) ?? repo.Config.Messenger.MaxUnansweredSessions;
            if (unansweredLimit < 0)
            {
                throw new CliException($"the limit of unanswered sessions must be 0 or more, not {unansweredLimit}");
            }
            var apiEndPoint = ApiAddress.Parse(parse.GetValue(api) ?? (repo.Config.Addresses.Api is { Length: > 0 } configured ? configured : ApiAddress.Default));
            // Held until the daemon is gone (disposed after the node and the API server below).
            using var repoLock = await LockRepoAsync(repo, cancellationToken);
            using var loggerFactory = NodeFactory.CreateLoggerFactory();
            using var storeLog = StoreLogFile.FromEnvironment();
            var listenAddresses = requested.Select(ParseListenAddress).ToList();
            var peers = DhtOptions.BootstrapPeers(parse.GetValue(bootstrap), repo);
            var allowPrivateAddresses = DhtOptions.PrivateAddressesAllowed(parse.GetValue(allowPrivate), listenAddresses, peers);
            await using var node = new DioneNode(new DioneNodeOptions
            {
                Identity = repo.Identity,
                ListenAddresses = listenAddresses,
                BootstrapPeers = peers,
                KeepJoined = true,
                DatabasePath = repo.DatabasePath,
                Dht = new KademliaDhtOptions
                {
                    Mode = DhtOptions.ParseMode(parse.GetValue(mode)!),
                    Kad = new KadOptions { AllowPrivateAddresses = allowPrivateAddresses },
                },
                // The public DHT's choice applies to the overlay as well (null there would let them in: another protocol id).
                Mailbox = new MailboxServiceOptions
                {
                    OverlayDht = new KademliaDhtOptions { Kad = new KadOptions { AllowPrivateAddresses = allowPrivateAddresses ?? false } },
                    StoreObserver = storeLog,
                },
                Messenger = new MessengerOptions { PollInterval = poll, MaxUnansweredSessions = unansweredLimit },
                LoggerFactory = loggerFactory,
            });
            try
            {
                await node.StartAsync(cancellationToken);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                throw new CliException(CannotListenMessage(listenAddresses, node.Host.ListenAddresses.Count, e));
            }
            await using var apiServer = await ApiServer.StartAsync(apiEndPoint, repo.Path, node, loggerFactory, shutdown.Request, cancellationToken);
            foreach (var address in node.Host.Identify.AdvertisedAddresses())
            {
                Console.Out.WriteLine($"Swarm listening on {address.WithPeerId(node.Host.PeerId)}");
            }
            Console.Out.WriteLine($"RPC API server listening on {apiServer.Address}");
            Console.Out.WriteLine($"Dione address: {node.Messenger.Address}");
            Console.Out.WriteLine($"DHT mode: {DescribeDhtMode(node)}");
            node.Dht.ModeChanged += (_, _) => Console.Out.WriteLine($"DHT mode: {DescribeDhtMode(node)}");
            if (peers.Count == 0)
            {
                Console.Out.WriteLine(DaemonHealth.WarningPrefix + DaemonHealth.NoBootstrapPeers(repo.Path));
            }
            Console.Out.WriteLine("Daemon is ready");
            await Console.Out.FlushAsync(CancellationToken.None);
            var joining = JoinAsync(node, cancellationToken);
            var overlayCheck = WarnWithoutOverlayPeersAsync(node, joining, cancellationToken);
            // Resumes on the thread pool, not inline in the signal handler that cancels the token.
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
            Console.Out.WriteLine("Received interrupt signal, shutting down...");
            await joining;
            await overlayCheck;
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Takes the repo lock for the daemon's life, waiting out a command that writes the repo for a moment; refuses to
    /// start a second daemon on one repo, whether or not its API files are still there.
    /// </summary>
    private static async Task<RepoLock> LockRepoAsync(DioneRepo repo, CancellationToken cancellationToken)
    {
        var (held, other) = await RepoAccess.LockOrDaemonAsync(repo.Path, cancellationToken);
        if (other is not null)
        {
            using (other)
            {
                throw new CliException($"another daemon is running on the repo {repo.Path} (its API answers at {other.EndPoint})");
            }
        }
        return held!;
    }

    /// <summary>
    /// Joins the public DHT and the Dione overlay through the bootstrap peers, publishes the prekeys where the overlay
    /// now reaches, then starts the messaging loop (at once when there are no peers to join through).
    /// </summary>
    private static async Task JoinAsync(DioneNode node, CancellationToken cancellationToken)
    {
        try
        {
            var peers = node.Options.BootstrapPeers;
            if (peers.Count > 0)
            {
                var connected = await node.JoinAsync(cancellationToken);
                Console.Out.WriteLine($"Bootstrapped with {connected} of {peers.Count} peers");
            }
            node.StartMessengerLoop();
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Once <see cref="OverlayCheckDelay"/> has passed and the join through the bootstrap peers has ended, warns (once)
    /// when the overlay still has no peer: the daemon runs, but no message can go anywhere.
    /// </summary>
    private static async Task WarnWithoutOverlayPeersAsync(DioneNode node, Task joining, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(OverlayCheckDelay, cancellationToken);
            await joining; // a join still under way has not failed yet
            if (!cancellationToken.IsCancellationRequested && node.Overlay.Dht.RoutingTable.Count == 0)
            {
                Console.Out.WriteLine($"{DaemonHealth.WarningPrefix}{OverlayCheckDelay.TotalSeconds:0} s after start, {DaemonHealth.NoOverlayPeers}");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string DescribeDhtMode(DioneNode node) =>
        DaemonHealth.DescribeMode(DaemonHealth.ConfiguredMode(node), DaemonHealth.CurrentMode(node));

    /// <summary>
    /// "cannot listen on ADDRESS: reason". The host binds the addresses in order and keeps those it bound, so the one
    /// that failed comes right after them.
    /// </summary>
    private static string CannotListenMessage(IReadOnlyList<Multiaddress> requested, int bound, System.Net.Sockets.SocketException e)
    {
        var reason = e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse ? "address already in use" : e.Message;
        return bound < requested.Count ? $"cannot listen on {requested[bound]}: {reason}" : $"cannot listen: {reason}";
    }

    private static Multiaddress ParseListenAddress(string text)
    {
        if (!Multiaddress.TryParse(text, out var address) || address!.ToTcpEndPoint() is null)
        {
            throw new CliException($"invalid listen address '{text}': expected /ip4/ADDR/tcp/PORT or /ip6/ADDR/tcp/PORT");
        }
        return address;
    }
}
