using System.Diagnostics;
using Dione.Kademlia;

namespace Dione.Benchmarks.Dht;

/// <summary>
/// Runs lookups one after another from random live nodes, alternating closest-peers of a random key and find-peer of a
/// random live node, and judges each against the truth computed by brute force over the live nodes.
/// </summary>
internal static class DhtMeasurement
{
    public static async Task<IReadOnlyList<LookupSample>> RunAsync(
        IDhtLookup lookup,
        IReadOnlyList<IDhtBenchNode> live,
        int count,
        int k,
        Random random,
        CancellationToken cancellationToken)
    {
        var samples = new List<LookupSample>(count);
        for (var i = 0; i < count; i++)
        {
            var start = live[random.Next(live.Count)];
            var findPeer = i % 2 == 1;
            var key = findPeer ? PickOther(live, start, random).PeerId.ToBytes() : DhtKeys.Random(random);
            var target = KadId.FromKey(key);
            var truth = live.Where(n => n != start).OrderBy(n => n.Id, Comparer<KadId>.Create(target.CompareDistance)).Take(k).Select(n => n.PeerId).ToList();
            var seeds = start.Table.NearestPeers(target, k).Select(e => e.PeerId).ToList();
            var rpc = new CountingKadRpc(start.Rpc);
            var clock = Stopwatch.StartNew();
            var outcome = await lookup.FindClosestPeersAsync(rpc, start.PeerId, seeds, key, cancellationToken).ConfigureAwait(false);
            var elapsed = clock.Elapsed;
            var found = outcome.Closest.ToHashSet();
            samples.Add(new LookupSample(
                findPeer,
                outcome.Rounds,
                rpc.Sent,
                rpc.Failed,
                truth.Count > 0 && found.Contains(truth[0]),
                truth.Count == 0 ? 1 : (double)truth.Count(found.Contains) / truth.Count,
                elapsed));
        }
        return samples;
    }

    private static IDhtBenchNode PickOther(IReadOnlyList<IDhtBenchNode> live, IDhtBenchNode start, Random random)
    {
        while (true)
        {
            var other = live[random.Next(live.Count)];
            if (other != start || live.Count == 1)
            {
                return other;
            }
        }
    }
}
