using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Dione.Cli.Commands;

/// <summary><c>dione ping MULTIADDR</c>: libp2p ping from a short-lived node, printed as <c>ipfs ping</c> does.</summary>
public static class PingCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("multiaddr") { Description = "Address of the peer, e.g. /ip4/127.0.0.1/tcp/4101/p2p/12D3…" };
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
            var address = TargetAddress.Parse(parse.GetValue(target)!);
            var asJson = parse.GetValue(json);
            using var loggerFactory = NodeFactory.CreateLoggerFactory();
            await using var node = NodeFactory.CreateShortLived(loggerFactory);
            var host = node.Host;
            var connection = await TargetAddress.DialAsync(host, address, cancellationToken);
            if (!asJson)
            {
                Console.Out.WriteLine($"PING {connection.RemotePeer}.");
            }
            var times = new List<TimeSpan>();
            try
            {
                await foreach (var rtt in host.Ping.PingAsync(connection.RemotePeer, parse.GetValue(count), cancellationToken))
                {
                    times.Add(rtt);
                    Console.Out.WriteLine(asJson
                        ? JsonSerializer.Serialize(new { Success = true, Time = (long)(rtt.TotalMilliseconds * 1_000_000), Text = "" })
                        : $"Pong received: time={rtt.TotalMilliseconds.ToString("0.##", CultureInfo.InvariantCulture)} ms");
                }
            }
            catch (Exception e) when (e is IOException or TimeoutException or InvalidDataException or Dione.Libp2p.Multistream.ProtocolNegotiationException)
            {
                throw new CliException($"ping failed: {e.Message}");
            }
            var average = TimeSpan.FromTicks((long)times.Average(t => t.Ticks));
            var summary = $"Average latency: {average.TotalMilliseconds.ToString("0.##", CultureInfo.InvariantCulture)}ms";
            Console.Out.WriteLine(asJson ? JsonSerializer.Serialize(new { Success = true, Time = 0, Text = summary }) : summary);
            return 0;
        });
        return command;
    }
}
