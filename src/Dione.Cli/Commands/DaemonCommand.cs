using System.CommandLine;
using Dione.Cli.Repo;
using Dione.Kademlia;
using Dione.Libp2p.Host;
using Dione.Libp2p.Multiformats.Multiaddr;
using Microsoft.Extensions.Logging;

namespace Dione.Cli.Commands;

/// <summary><c>dione daemon</c>: runs the node until Ctrl-C or SIGTERM.</summary>
public static class DaemonCommand
{
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
        var allowPrivate = DhtOptions.AllowPrivateAddresses();
        var command = new Command("daemon", "Run a node until interrupted") { listen, bootstrap, mode, allowPrivate };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var repo = DioneRepo.Open(DioneRepo.ResolvePath(parse.GetValue(CommonOptions.Repo)));
            var requested = parse.GetValue(listen) is { Length: > 0 } given ? given : [.. repo.Config.Addresses.Swarm];
            using var loggerFactory = NodeFactory.CreateLoggerFactory();
            var builder = new Libp2pHostBuilder().WithIdentity(repo.Identity).WithLoggerFactory(loggerFactory);
            foreach (var text in requested)
            {
                builder.ListenOn(ParseListenAddress(text));
            }
            await using var host = builder.Build();
            try
            {
                await host.StartAsync(cancellationToken);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                throw new CliException($"cannot listen: {e.Message}");
            }
            var peers = DhtOptions.BootstrapPeers(parse.GetValue(bootstrap), repo);
            var dhtOptions = new KademliaDhtOptions
            {
                Mode = DhtOptions.ParseMode(parse.GetValue(mode)!),
                DatabasePath = repo.DatabasePath,
                Kad = new KadOptions { AllowPrivateAddresses = DhtOptions.PrivateAddressesAllowed(parse.GetValue(allowPrivate), host.ListenAddresses, peers) },
            };
            await using var dht = new KademliaDht(host, dhtOptions, logger: loggerFactory.CreateLogger<KademliaDht>());
            await dht.StartAsync(cancellationToken);
            foreach (var address in host.Identify.AdvertisedAddresses())
            {
                Console.Out.WriteLine($"Swarm listening on {address.WithPeerId(host.PeerId)}");
            }
            Console.Out.WriteLine("Daemon is ready");
            await Console.Out.FlushAsync(cancellationToken);
            if (peers.Count > 0)
            {
                _ = BootstrapAsync(dht, peers, cancellationToken);
            }
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Console.Out.WriteLine("Received interrupt signal, shutting down...");
            }
            return 0;
        });
        return command;
    }

    private static async Task BootstrapAsync(KademliaDht dht, IReadOnlyList<Multiaddress> peers, CancellationToken cancellationToken)
    {
        try
        {
            var connected = await dht.BootstrapAsync(peers, cancellationToken);
            Console.Out.WriteLine($"Bootstrapped with {connected} of {peers.Count} peers");
        }
        catch (OperationCanceledException)
        {
        }
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
