using System.CommandLine;
using System.Globalization;
using System.Runtime.CompilerServices;
using Dione.Cli.Api;
using Dione.Cli.Api.Models;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Cli.Commands;

/// <summary>
/// <c>dione ping PEER</c>: libp2p ping, printed as <c>ipfs ping</c> does. Through the repo's running daemon when there is
/// one and the target names a peer (its node, its connections, its DHT to find a peer by id); else from a
/// short-lived node, which needs a multiaddr.
/// </summary>
public static class PingCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("peer")
        {
            Description = "Peer id (found by the running daemon) or multiaddr, e.g. /ip4/127.0.0.1/tcp/4101/p2p/12D3…",
        };
        var count = new Option<int>("--count", "-n") { Description = "Number of pings", DefaultValueFactory = _ => 10 };
        count.Validators.Add(result =>
        {
            // A token that is not a number is already an error of the parser; reading the value would throw.
            if (result.Tokens is [{ Value: var text }] && int.TryParse(text, out var value) && value < 1)
            {
                result.AddError("--count must be at least 1");
            }
        });
        var json = CommonOptions.Json();
        var command = new Command("ping", "Measure round trips to a peer with /ipfs/ping/1.0.0") { target, count, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var peer = PeerTarget.Parse(parse.GetValue(target)!);
            var asJson = parse.GetValue(json);
            var results = peer.NamesPeer && await DaemonApi.TryConnectAsync(parse, cancellationToken) is { } api
                ? ThroughDaemonAsync(api, peer, parse.GetValue(count), cancellationToken)
                : ShortLivedAsync(peer.AddressWithoutDaemon("ping", DaemonApi.RepoPath(parse)), parse.GetValue(count), cancellationToken);
            var roundTrips = 0;
            await foreach (var result in results)
            {
                roundTrips += PingSequence.IsRoundTrip(result) ? 1 : 0;
                if (asJson)
                {
                    DaemonApi.PrintJson(result);
                }
                else
                {
                    Console.Out.WriteLine(PingSequence.IsRoundTrip(result)
                        ? $"Pong received: time={(result.Time / 1e6).ToString("0.##", CultureInfo.InvariantCulture)} ms"
                        : result.Text);
                }
            }
            return roundTrips > 0 ? 0 : throw new CliException("ping failed");
        });
        return command;
    }

    private static async IAsyncEnumerable<PingResult> ThroughDaemonAsync(ApiClient api, PeerTarget peer, int count, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using (api)
        {
            var options = new[] { ("count", count.ToString(CultureInfo.InvariantCulture)) };
            await foreach (var result in api.StreamAsync<PingResult>("ping", [peer.Text], options, cancellationToken: cancellationToken))
            {
                yield return result;
            }
        }
    }

    private static async IAsyncEnumerable<PingResult> ShortLivedAsync(Multiaddress address, int count, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var loggerFactory = NodeFactory.CreateLoggerFactory();
        await using var node = NodeFactory.CreateShortLived(loggerFactory);
        var connection = await TargetAddress.DialAsync(node.Host, address, cancellationToken);
        await foreach (var result in PingSequence.RunAsync(node.Host, connection.RemotePeer, count, cancellationToken))
        {
            yield return result;
        }
    }
}
