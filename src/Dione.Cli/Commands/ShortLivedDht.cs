using Dione.Cli.Repo;
using Dione.Kademlia;
using Dione.Libp2p.Host;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Protocols.Identify;
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

    private ShortLivedDht(ILoggerFactory loggerFactory, Libp2pHost host, KademliaDht dht)
    {
        _loggerFactory = loggerFactory;
        Host = host;
        Dht = dht;
    }

    public Libp2pHost Host { get; }

    public KademliaDht Dht { get; }

    /// <param name="asRepoNode">Use the repo's identity and announce the repo's swarm addresses (for provide): the
    /// records then name the repo's daemon, not this short-lived node.</param>
    public static async Task<ShortLivedDht> StartAsync(string[]? bootstrap, string? repoOption, CancellationToken cancellationToken, bool asRepoNode = false)
    {
        var path = DioneRepo.ResolvePath(repoOption);
        var repo = File.Exists(Path.Combine(path, DioneRepo.ConfigFileName)) ? DioneRepo.Open(path)
            : asRepoNode ? throw new CliException($"no dione repo at {path}; run 'dione init' first") : null;
        var peers = DhtOptions.BootstrapPeers(bootstrap, repo);
        if (peers.Count == 0)
        {
            throw new CliException("no bootstrap peers: pass --bootstrap MULTIADDR or add some with 'dione bootstrap add'");
        }
        var loggerFactory = NodeFactory.CreateLoggerFactory();
        var host = asRepoNode
            ? new Libp2pHostBuilder().WithIdentity(repo!.Identity).WithLoggerFactory(loggerFactory).Build()
            : NodeFactory.CreateShortLived(loggerFactory);
        var options = new KademliaDhtOptions
        {
            Mode = DhtMode.Client,
            AnnouncedAddresses = asRepoNode ? RepoAddresses(repo!) : null,
            Kad = new KadOptions { AllowPrivateAddresses = DhtOptions.PrivateAddressesAllowed(false, [], peers) },
        };
        var dht = new KademliaDht(host, options, logger: loggerFactory.CreateLogger<KademliaDht>());
        var node = new ShortLivedDht(loggerFactory, host, dht);
        try
        {
            await dht.StartAsync(cancellationToken);
            if (await dht.BootstrapAsync(peers, cancellationToken) == 0)
            {
                throw new CliException($"could not reach any of the {peers.Count} bootstrap peers");
            }
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    private static IReadOnlyList<Multiaddress> RepoAddresses(DioneRepo repo) =>
        InterfaceAddresses.Expand([.. repo.Config.Addresses.Swarm.Select(a => Multiaddress.TryParse(a, out var parsed) ? parsed : null).OfType<Multiaddress>()]);

    public async ValueTask DisposeAsync()
    {
        await Dht.DisposeAsync();
        await Host.DisposeAsync();
        _loggerFactory.Dispose();
    }
}
