using System.CommandLine;
using System.Text.Json;
using Dione.Cli.Api;
using Dione.Cli.Demo;

namespace Dione.Cli.Commands;

/// <summary>
/// <c>dione demo [--nodes 20] [--json]</c>: a local swarm on 127.0.0.1 in this process, Alice and Bob exchanging
/// messages, Bob offline and back, every message checked to arrive exactly once. Needs no repo and no network beyond
/// loopback.
/// </summary>
public static class DemoCommand
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long the swarm may take to stop once the limit cancelled the story. One run in about ten was seen idle long
    /// after its limit, somewhere in shutdown; the command must end either way, so past this it gives up waiting.
    /// </summary>
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JsonTextEncoder.Instance };

    public static Command Create()
    {
        var nodes = new Option<int>("--nodes") { Description = "Nodes in the local swarm", DefaultValueFactory = _ => DemoOptions.DefaultNodes };
        var json = CommonOptions.Json();
        var command = new Command("demo", "Run a local swarm on 127.0.0.1 where Alice and Bob exchange messages, Bob also while offline") { nodes, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var asJson = parse.GetValue(json);
            var count = parse.GetValue(nodes);
            if (count is < DemoOptions.MinimumNodes or > DemoOptions.MaximumNodes)
            {
                // Checked here rather than by a validator: a validator also runs on a value that did not parse, and throws.
                throw new CliException($"--nodes must be between {DemoOptions.MinimumNodes} and {DemoOptions.MaximumNodes}");
            }
            var options = new DemoOptions(count, Replication: Math.Min(5, count - 2), DeliveryTimeout: TimeSpan.FromSeconds(20));
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(Limit);
            using var loggerFactory = NodeFactory.CreateLoggerFactory();
            DemoResult result;
            try
            {
                result = await DemoStory.RunAsync(options, asJson ? null : Console.Out, loggerFactory, limit.Token)
                    .WaitAsync(Limit + ShutdownGrace, cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new CliException($"demo failed: it did not finish within {Limit.TotalSeconds:0} s, and its swarm did not stop {ShutdownGrace.TotalSeconds:0} s later");
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new CliException($"demo failed: it did not finish within {Limit.TotalSeconds:0} s");
            }
            if (asJson)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(ToJson(result), JsonOptions));
            }
            if (!result.Ok)
            {
                throw new CliException($"demo failed: {result.Error}");
            }
            return 0;
        });
        return command;
    }

    private static Dictionary<string, object?> ToJson(DemoResult result) => new()
    {
        ["ok"] = result.Ok,
        ["error"] = result.Error,
        ["nodes"] = result.Nodes,
        ["replication"] = result.Replication,
        ["seconds"] = Math.Round(result.Seconds, 3),
        ["messages"] = result.Messages.Select(m => new Dictionary<string, object?>
        {
            ["from"] = m.From,
            ["to"] = m.To,
            ["text"] = m.Text,
            ["recipient_offline"] = m.RecipientOffline,
            ["sent_s"] = Math.Round(m.SentAt, 3),
            ["store_ms"] = Math.Round(m.StoreMs, 1),
            ["holders"] = m.Holders,
            ["wanted"] = m.Wanted,
            ["received_s"] = m.ReceivedAt is { } received ? Math.Round(received, 3) : null,
            ["latency_ms"] = m.LatencyMs is { } latency ? Math.Round(latency, 1) : null,
            ["copies"] = m.Copies,
        }).ToList(),
        ["transcript"] = result.Transcript,
    };
}
