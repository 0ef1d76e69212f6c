using System.Diagnostics;
using System.Text.Json.Nodes;
using Dione.Kademlia;

namespace Dione.Benchmarks.Dht;

/// <summary>
/// <c>dht-sim</c>: lookups over an in-memory network of Dione routing tables. For each way of forming the tables
/// (<c>join</c>: nodes join one by one through a random earlier node with a self-lookup and bucket refreshes, then every
/// node refreshes once more; <c>converged</c>: every node is offered every other), it measures lookups on the whole
/// network, then marks a random share of the nodes gone without touching any table (as right after churn) and measures
/// again. Tables do not change while lookups are measured, so each lookup sees the same network. One JSON line per
/// measurement.
/// </summary>
internal static class DhtSimMode
{
    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var nodes = arguments.Count("nodes", 1000, minimum: 2);
        var k = arguments.Count("k", KademliaDefaults.K);
        var alpha = arguments.Count("alpha", KademliaDefaults.Alpha);
        var lookups = arguments.Count("lookups", 2000, minimum: 2);
        var churn = arguments.Number("churn", 0.3);
        var seed = arguments.Count("seed", 1, minimum: 0);
        var lookupName = arguments.Text("lookup", DhtLookups.Engine);
        var tables = arguments.Text("tables", "join,converged").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        arguments.RejectUnknownOptions();
        if (churn >= 1 || tables.Any(t => t is not ("join" or "converged")))
        {
            throw new UsageException("--churn must be below 1 and --tables a list of join and converged");
        }
        var lookup = DhtLookups.Create(lookupName, k, alpha);
        foreach (var formation in tables)
        {
            var random = new Random(seed);
            var network = new SimulatedNetwork(nodes, k, random);
            var clock = Stopwatch.StartNew();
            if (formation == "join")
            {
                await JoinAllAsync(network, lookup, new BucketKeyTable(random), random).ConfigureAwait(false);
            }
            else
            {
                network.FillConverged(random);
            }
            var buildSeconds = clock.Elapsed.TotalSeconds;
            var buildMessages = network.Messages;
            var tableSize = network.Nodes.Average(n => n.Table.Count);
            Diagnostics.Log($"dht-sim: {nodes} nodes formed by {formation} in {buildSeconds:F1} s, {buildMessages} messages, {tableSize:F1} peers per table");
            foreach (var gone in new[] { 0.0, churn }.Distinct())
            {
                var removed = gone > 0 ? network.RemoveFraction(gone, random) : 0;
                var live = network.LiveNodes;
                clock.Restart();
                var samples = await DhtMeasurement.RunAsync(lookup, live, lookups, k, random, CancellationToken.None).ConfigureAwait(false);
                var line = new JsonObject
                {
                    ["mode"] = "dht-sim",
                    ["lookup"] = lookup.Name,
                    ["tables"] = formation,
                    ["nodes"] = nodes,
                    ["gone"] = removed,
                    ["churn"] = gone,
                    ["k"] = k,
                    ["alpha"] = alpha,
                    ["target_rounds"] = LookupSummary.TargetRounds(nodes, k),
                    ["mean_table_size"] = JsonLine.Round(tableSize, 1),
                    ["build_msgs"] = buildMessages,
                    ["build_seconds"] = JsonLine.Round(buildSeconds, 2),
                };
                LookupSummary.AddTo(line, samples);
                line["seconds"] = JsonLine.Round(clock.Elapsed.TotalSeconds, 2);
                JsonLine.Write(line);
            }
        }
        return 0;
    }

    /// <summary>Nodes join in random order, each through a random node already in; then every node refreshes once more.</summary>
    private static async Task JoinAllAsync(SimulatedNetwork network, IDhtLookup lookup, BucketKeyTable keys, Random random)
    {
        var order = network.Nodes.ToArray();
        random.Shuffle(order);
        for (var i = 1; i < order.Length; i++)
        {
            var node = order[i];
            var bootstrap = order[random.Next(i)];
            network.Introduce(node, bootstrap);
            network.Introduce(bootstrap, node);
            await DhtNetworkFormation.JoinAsync(lookup, node.LearningRpc, node.PeerId, node.Table, keys, random, CancellationToken.None).ConfigureAwait(false);
        }
        foreach (var node in order)
        {
            await DhtNetworkFormation.RefreshAsync(lookup, node.LearningRpc, node.PeerId, node.Table, keys, random, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
