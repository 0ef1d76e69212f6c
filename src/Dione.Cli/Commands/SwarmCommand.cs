using System.CommandLine;
using Dione.Cli.Api.Models;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Cli.Commands;

/// <summary><c>dione swarm peers|connect|disconnect|addrs [local]</c>: the running daemon's connections, as <c>ipfs swarm</c>.</summary>
public static class SwarmCommand
{
    public static Command Create()
    {
        var command = new Command("swarm", "Show and change the daemon's connections");
        command.Add(Peers());
        command.Add(Connect());
        command.Add(Disconnect());
        command.Add(Addresses());
        return command;
    }

    private static Command Peers()
    {
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show latency, direction and identify information" };
        var latency = new Option<bool>("--latency") { Description = "Show the round-trip time to each peer" };
        var direction = new Option<bool>("--direction") { Description = "Show whether each connection is inbound or outbound" };
        var json = CommonOptions.Json();
        var command = new Command("peers", "List the peers the daemon is connected to") { verbose, latency, direction, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = await DaemonApi.ConnectAsync(parse, cancellationToken);
            var options = new List<(string, string)>();
            foreach (var (option, name) in new[] { (verbose, "verbose"), (latency, "latency"), (direction, "direction") })
            {
                if (parse.GetValue(option))
                {
                    options.Add((name, "true"));
                }
            }
            var reply = await api.PostAsync<SwarmPeers>("swarm/peers", [], options, cancellationToken: cancellationToken);
            if (parse.GetValue(json))
            {
                DaemonApi.PrintJson(reply);
                return 0;
            }
            foreach (var peer in reply.Peers ?? [])
            {
                var line = $"{peer.Addr}/p2p/{peer.Peer}";
                line += peer.Latency is { Length: > 0 } rtt ? " " + rtt : "";
                line += peer.Direction switch
                {
                    SwarmPeerInfo.DirectionInbound => " inbound",
                    SwarmPeerInfo.DirectionOutbound => " outbound",
                    _ => "",
                };
                Console.Out.WriteLine(line);
            }
            return 0;
        });
        return command;
    }

    private static Command Connect()
    {
        var addresses = PeerAddresses("Multiaddrs of peers, ending in /p2p/ID");
        var json = CommonOptions.Json();
        var command = new Command("connect", "Open a connection to a peer") { addresses, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var given = Validate(parse.GetValue(addresses));
            using var api = await DaemonApi.ConnectAsync(parse, cancellationToken);
            var reply = await api.PostAsync<StringList>("swarm/connect", given, cancellationToken: cancellationToken);
            return PrintStrings(reply, parse.GetValue(json));
        });
        return command;
    }

    private static Command Disconnect()
    {
        var addresses = PeerAddresses("Multiaddrs ending in /p2p/ID (only /p2p/ID closes every connection to the peer)");
        var json = CommonOptions.Json();
        var command = new Command("disconnect", "Close connections to a peer") { addresses, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var given = Validate(parse.GetValue(addresses));
            using var api = await DaemonApi.ConnectAsync(parse, cancellationToken);
            var reply = await api.PostAsync<StringList>("swarm/disconnect", given, cancellationToken: cancellationToken);
            return PrintStrings(reply, parse.GetValue(json));
        });
        return command;
    }

    private static Command Addresses()
    {
        var json = CommonOptions.Json();
        var command = new Command("addrs", "List the addresses the daemon knows for each peer") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = await DaemonApi.ConnectAsync(parse, cancellationToken);
            var reply = await api.PostAsync<AddressMap>("swarm/addrs", [], cancellationToken: cancellationToken);
            if (parse.GetValue(json))
            {
                DaemonApi.PrintJson(reply);
                return 0;
            }
            foreach (var (peer, addresses) in reply.Addrs.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Console.Out.WriteLine($"{peer} ({addresses.Count})");
                foreach (var address in addresses)
                {
                    Console.Out.WriteLine("\t" + address);
                }
            }
            return 0;
        });
        command.Add(LocalAddresses());
        return command;
    }

    private static Command LocalAddresses()
    {
        var withId = new Option<bool>("--id") { Description = "Append /p2p/ID to each address" };
        var json = CommonOptions.Json();
        var command = new Command("local", "List the addresses the daemon listens on and announces") { withId, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = await DaemonApi.ConnectAsync(parse, cancellationToken);
            var options = parse.GetValue(withId) ? new[] { ("id", "true") } : [];
            var reply = await api.PostAsync<StringList>("swarm/addrs/local", [], options, cancellationToken: cancellationToken);
            return PrintStrings(reply, parse.GetValue(json));
        });
        return command;
    }

    private static Argument<string[]> PeerAddresses(string description) =>
        new("address") { Description = description, Arity = ArgumentArity.OneOrMore };

    private static string[] Validate(string[]? addresses) =>
        [.. (addresses ?? []).Select(text => Multiaddress.TryParse(text, out var address) && address!.PeerId is not null
            ? text
            : throw new CliException($"invalid peer address '{text}': expected a multiaddr ending in /p2p/ID"))];

    /// <summary>Prints kubo's <c>Strings</c> reply; a line that reports a failure makes the command fail.</summary>
    private static int PrintStrings(StringList reply, bool asJson)
    {
        var lines = reply.Strings ?? [];
        if (asJson)
        {
            DaemonApi.PrintJson(reply);
        }
        else
        {
            lines.Where(l => !l.Contains(" failure", StringComparison.Ordinal)).ToList().ForEach(Console.Out.WriteLine);
        }
        var failure = lines.FirstOrDefault(l => l.Contains(" failure", StringComparison.Ordinal));
        return failure is null ? 0 : throw new CliException(failure);
    }
}
