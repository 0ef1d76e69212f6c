using System.CommandLine;
using Dione.Cli.Repo;
using Dione.Libp2p.Host;
using Dione.Libp2p.Multiformats.Multiaddr;

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
        var command = new Command("daemon", "Run a node until interrupted") { listen };
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
            foreach (var address in host.Identify.AdvertisedAddresses())
            {
                Console.Out.WriteLine($"Swarm listening on {address.WithPeerId(host.PeerId)}");
            }
            Console.Out.WriteLine("Daemon is ready");
            await Console.Out.FlushAsync(cancellationToken);
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

    private static Multiaddress ParseListenAddress(string text)
    {
        if (!Multiaddress.TryParse(text, out var address) || address!.ToTcpEndPoint() is null)
        {
            throw new CliException($"invalid listen address '{text}': expected /ip4/ADDR/tcp/PORT or /ip6/ADDR/tcp/PORT");
        }
        return address;
    }
}
