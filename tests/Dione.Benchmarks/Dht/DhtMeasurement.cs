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
            var wanted = findPeer ? PickOther(live, start, random) : null;
            var key = wanted?.PeerId.ToBytes() ?? DhtKeys.Random(random);
            var target = KadId.FromKey(key);
            var seeds = start.Table.NearestPeers(target, k).Select(e => e.PeerId).ToList();
            var rpc = new CountingKadRpc(start.Rpc);
            var clock = Stopwatch.StartNew();
            var outcome = wanted is null
                ? await lookup.FindClosestPeersAsync(rpc, start.PeerId, seeds, key, cancellationToken).ConfigureAwait(false)
                : await lookup.FindPeerAsync(rpc, start.PeerId, seeds, wanted.PeerId, cancellationToken).ConfigureAwait(false);
            var elapsed = clock.Elapsed;
            bool success;
            double? recall = null;
            if (wanted is null)
            {
                var truth = live.Where(n => n != start).OrderBy(n => n.Id, Comparer<KadId>.Create(target.CompareDistance)).Take(k).Select(n => n.PeerId).ToList();
                var found = outcome.Closest.ToHashSet();
                success = truth.Count > 0 && found.Contains(truth[0]);
                recall = truth.Count == 0 ? 1 : (double)truth.Count(found.Contains) / truth.Count;
            }
            else
            {
                success = outcome.Found;
            }
            samples.Add(new LookupSample(findPeer, outcome.Rounds, rpc.Sent, rpc.Failed, success, recall, elapsed));
        }
        return samples;
    }

    private static IDhtBenchNode? PickOther(IReadOnlyList<IDhtBenchNode> live, IDhtBenchNode start, Random random)
    {
        while (live.Count > 1)
        {
            var other = live[random.Next(live.Count)];
            if (other != start)
            {
                return other;
            }
        }
        return null;
    }
}
