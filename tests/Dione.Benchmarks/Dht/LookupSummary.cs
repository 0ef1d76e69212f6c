using System.Text.Json.Nodes;

namespace Dione.Benchmarks.Dht;

/// <summary>The figures of a set of <see cref="LookupSample"/>s, as JSON fields.</summary>
internal static class LookupSummary
{
    /// <summary>The bound on the median: ⌈log2(N) / log2(k)⌉ + 1.</summary>
    public static int TargetRounds(int nodes, int k) => (int)Math.Ceiling(Math.Log2(nodes) / Math.Log2(k)) + 1;

    public static void AddTo(JsonObject line, IReadOnlyList<LookupSample> samples)
    {
        double Mean(Func<LookupSample, double> value) => samples.Count == 0 ? double.NaN : samples.Average(value);
        double Rate(IEnumerable<LookupSample> subset)
        {
            var list = subset.ToList();
            return list.Count == 0 ? double.NaN : (double)list.Count(s => s.Success) / list.Count;
        }
        var rounds = samples.Select(s => (double)s.Rounds).ToList();
        var milliseconds = samples.Select(s => s.Elapsed.TotalMilliseconds).ToList();
        line["lookups"] = samples.Count;
        line["median_rounds"] = Statistics.Median(rounds);
        line["p95_rounds"] = Statistics.Quantile(rounds, 0.95);
        line["max_rounds"] = rounds.Count == 0 ? double.NaN : rounds.Max();
        line["mean_rounds"] = JsonLine.Round(Mean(s => s.Rounds), 2);
        line["msgs_per_lookup"] = JsonLine.Round(Mean(s => s.Sent), 1);
        line["failed_msgs_per_lookup"] = JsonLine.Round(Mean(s => s.Failed), 1);
        line["success"] = JsonLine.Round(Rate(samples), 4);
        line["success_closest"] = JsonLine.Round(Rate(samples.Where(s => !s.FindPeer)), 4);
        line["success_findpeer"] = JsonLine.Round(Rate(samples.Where(s => s.FindPeer)), 4);
        line["recall_k"] = JsonLine.Round(samples.Where(s => s.Recall is not null).Select(s => s.Recall!.Value).DefaultIfEmpty(double.NaN).Average(), 4);
        line["median_ms"] = JsonLine.Round(Statistics.Median(milliseconds), 3);
        line["p95_ms"] = JsonLine.Round(Statistics.Quantile(milliseconds, 0.95), 3);
    }
}
