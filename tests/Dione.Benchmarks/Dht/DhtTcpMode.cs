using System.Diagnostics;
using System.Text.Json.Nodes;
using Dione.Kademlia;
using Dione.Kademlia.Dht;
using Dione.Kademlia.Lookup;

namespace Dione.Benchmarks.Dht;

/// <summary>
/// <c>dht-tcp</c>: the same lookups as <c>dht-sim</c> between real <see cref="KademliaDht"/> servers
/// (<see cref="TcpDhtNode"/>) on 127.0.0.1, over TCP, Noise and Yamux. The nodes join in a chain: each bootstraps from
/// the one started before it (connect, identify, self-lookup), then refreshes its buckets; then every node refreshes
/// once more. A lookup is the node's own: its routing table's seeds, its <see cref="KadClient"/>, the lookup engine with
/// the DHT's settings (counted on the way). Lookups are measured on the whole network,
/// then after a random share of the nodes was shut down (their entries stay in the others' tables; requests to them
/// meet a refused connection). Unlike the simulation, tables keep learning while lookups run, as identify reports
/// new connections. One JSON line per measurement, with wall time per lookup.
/// </summary>
internal static class DhtTcpMode
{
    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var count = arguments.Count("nodes", 50, minimum: 2);
        var k = arguments.Count("k", KademliaDefaults.K);
        var alpha = arguments.Count("alpha", KademliaDefaults.Alpha);
        var lookups = arguments.Count("lookups", 200, minimum: 2);
        var churn = arguments.Number("churn", 0.3);
        var seed = arguments.Count("seed", 1, minimum: 0);
        var timeout = TimeSpan.FromSeconds(arguments.Number("timeout-seconds", 240));
        var lookupName = arguments.Text("lookup", DhtLookups.Engine);
        arguments.RejectUnknownOptions();
        if (churn >= 1)
        {
            throw new UsageException("--churn must be below 1");
        }
        using var limit = new CancellationTokenSource(timeout);
        var cancellationToken = limit.Token;
        var lookup = DhtLookups.Create(lookupName, k, alpha);
        var options = new KademliaDhtOptions
        {
            Mode = DhtMode.Server,
            Kad = new KadOptions { BucketSize = k, ReplacementCacheSize = k, AllowPrivateAddresses = true }, // all on 127.0.0.1
            Lookup = new LookupOptions { K = k, Alpha = alpha },
            // Every RefreshBucketsAsync call refreshes every bucket; the background loop stays out of the measurements.
            BucketRefreshInterval = TimeSpan.FromMilliseconds(1),
            RefreshCheckInterval = TimeSpan.FromHours(1),
        };
        var random = new Random(seed);
        var nodes = new List<TcpDhtNode>(count);
        var gone = new HashSet<TcpDhtNode>();
        try
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                nodes.Add(await TcpDhtNode.StartAsync(options, cancellationToken).ConfigureAwait(false));
            }
            for (var i = 1; i < count; i++)
            {
                await nodes[i].JoinAsync(nodes[i - 1], cancellationToken).ConfigureAwait(false);
            }
            foreach (var node in nodes)
            {
                await node.Dht.RefreshBucketsAsync(cancellationToken).ConfigureAwait(false);
            }
            var buildSeconds = clock.Elapsed.TotalSeconds;
            var tableSize = nodes.Average(n => n.Table.Count);
            Diagnostics.Log($"dht-tcp: {count} nodes joined in {buildSeconds:F1} s, {tableSize:F1} peers per table");
            foreach (var share in new[] { 0.0, churn }.Distinct())
            {
                if (share > 0)
                {
                    var order = nodes.ToArray();
                    random.Shuffle(order);
                    foreach (var node in order.Take((int)Math.Round(share * count)))
                    {
                        gone.Add(node);
                        await node.DisposeAsync().ConfigureAwait(false);
                    }
                }
                var live = nodes.Where(n => !gone.Contains(n)).ToList<IDhtBenchNode>();
                clock.Restart();
                var samples = await DhtMeasurement.RunAsync(lookup, live, lookups, k, random, cancellationToken).ConfigureAwait(false);
                var line = new JsonObject
                {
                    ["mode"] = "dht-tcp",
                    ["lookup"] = lookup.Name,
                    ["nodes"] = count,
                    ["gone"] = gone.Count,
                    ["churn"] = share,
                    ["k"] = k,
                    ["alpha"] = alpha,
                    ["target_rounds"] = LookupSummary.TargetRounds(count, k),
                    ["mean_table_size"] = JsonLine.Round(tableSize, 1),
                    ["build_seconds"] = JsonLine.Round(buildSeconds, 2),
                };
                LookupSummary.AddTo(line, samples);
                line["seconds"] = JsonLine.Round(clock.Elapsed.TotalSeconds, 2);
                JsonLine.Write(line);
            }
            return 0;
        }
        finally
        {
            await Task.WhenAll(nodes.Where(n => !gone.Contains(n)).Select(n => n.DisposeAsync().AsTask())).ConfigureAwait(false);
        }
    }
}
