using Dione.Cli.Repo;
using Dione.Kademlia;
using Dione.Kademlia.Dht;
using Dione.Libp2p.Host;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Protocols.Identify;
using Dione.Messenger.Node;
using Microsoft.Extensions.Logging;

namespace Dione.Cli.Commands;

/// <summary>
/// A DHT client node that lives for one command: a fresh identity, an in-memory store, bootstrapped from
/// <c>--bootstrap</c> or the repo's list. Routing commands use it when no daemon runs on the repo, or when
/// <c>--bootstrap</c> is given.
/// </summary>
public sealed class ShortLivedDht : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly DioneNode _node;

    private ShortLivedDht(ILoggerFactory loggerFactory, DioneNode node)
    {
        _loggerFactory = loggerFactory;
        _node = node;
    }

    public Libp2pHost Host => _node.Host;

    public KademliaDht Dht => _node.Dht;

    /// <param name="asRepoNode">Use the repo's identity and announce the repo's swarm addresses (for provide): the
    /// records then name the repo's daemon, not this short-lived node.</param>
    public static async Task<ShortLivedDht> StartAsync(string[]? bootstrap, string? repoOption, CancellationToken cancellationToken, bool asRepoNode = false)
    {
        var path = DioneRepo.ResolvePath(repoOption);
        var repo = File.Exists(Path.Combine(path, DioneRepo.ConfigFileName)) ? DioneRepo.Open(path)
            : asRepoNode ? throw new CliException(DioneRepo.NoRepoMessage(path)) : null;
        var peers = DhtOptions.BootstrapPeers(bootstrap, repo);
        if (peers.Count == 0)
        {
            throw new CliException($"no bootstrap peers: pass --bootstrap MULTIADDR or add some with '{RepoCommandHint.For(path, "bootstrap add")}'");
        }
        var loggerFactory = NodeFactory.CreateLoggerFactory();
        // A DHT client with no messaging and an in-memory store; with a fresh identity unless it speaks for the repo.
        var node = new DioneNode(new DioneNodeOptions
        {
            Identity = asRepoNode ? repo!.Identity : null,
            BootstrapPeers = peers,
            Dht = new KademliaDhtOptions
            {
                Mode = DhtMode.Client,
                AnnouncedAddresses = asRepoNode ? RepoAddresses(repo!) : null,
                Kad = new KadOptions { AllowPrivateAddresses = DhtOptions.PrivateAddressesAllowed(false, [], peers) },
            },
            RunMailbox = false,
            RunMessenger = false,
            LoggerFactory = loggerFactory,
        });
        var shortLived = new ShortLivedDht(loggerFactory, node);
        try
        {
            await node.StartAsync(cancellationToken);
            if (await node.JoinAsync(cancellationToken) == 0)
            {
                throw new CliException($"could not reach any of the {peers.Count} bootstrap peers");
            }
            return shortLived;
        }
        catch
        {
            await shortLived.DisposeAsync();
            throw;
        }
    }

    private static IReadOnlyList<Multiaddress> RepoAddresses(DioneRepo repo) =>
        InterfaceAddresses.Expand([.. repo.Config.Addresses.Swarm.Select(a => Multiaddress.TryParse(a, out var parsed) ? parsed : null).OfType<Multiaddress>()]);

    public async ValueTask DisposeAsync()
    {
        await _node.DisposeAsync();
        _loggerFactory.Dispose();
    }
}
