using Dione.Kademlia;
using Dione.Libp2p.Identity;

namespace Dione.Benchmarks.Dht;

/// <summary>
/// A STAND-IN for Dione.Kademlia's <see cref="LookupEngine"/>, written inside the benchmark so that it produced numbers
/// before the engine existed, and kept (<c>--lookup stand-in</c>) as an independent cross-check of the engine's figures;
/// result lines name it ("lookup": "stand-in"). It follows the rule issue 3 sets for the engine: up to alpha FIND_NODE
/// requests in flight, always to the closest unqueried peers among the k closest seen that have not failed, and the
/// lookup ends when those k closest have all answered.
/// </summary>
/// <remarks>
/// Replies that are already complete when a request slot frees up (the in-memory network answers at once) are all
/// taken in before the next requests go out, so with zero latency the lookup advances in alpha-wide waves, as it
/// would with equal round-trip times.
/// </remarks>
internal sealed class StandInIterativeLookup(int k, int alpha) : IDhtLookup
{
    public string Name => "stand-in";

    public Task<LookupOutcome> FindClosestPeersAsync(IKadRpc rpc, PeerId self, IReadOnlyList<PeerId> seeds, byte[] key, CancellationToken cancellationToken) =>
        RunAsync(rpc, self, seeds, key, null, cancellationToken);

    public async Task<LookupOutcome> FindPeerAsync(IKadRpc rpc, PeerId self, IReadOnlyList<PeerId> seeds, PeerId target, CancellationToken cancellationToken)
    {
        var outcome = await RunAsync(rpc, self, seeds, target.ToBytes(), target, cancellationToken).ConfigureAwait(false);
        return outcome with { Closest = [] };
    }

    /// <summary>The lookup; with <paramref name="wanted"/>, it stops once that peer answers or a reply names it with addresses.</summary>
    private async Task<LookupOutcome> RunAsync(IKadRpc rpc, PeerId self, IReadOnlyList<PeerId> seeds, byte[] key, PeerId? wanted, CancellationToken cancellationToken)
    {
        var target = KadId.FromKey(key);
        var found = false;
        var candidates = new CandidateList(target, self);
        foreach (var seed in seeds)
        {
            candidates.Offer(seed, 0);
        }
        // A list, not a dictionary keyed by task: completed tasks of equal results may be one cached instance.
        var inFlight = new List<(Task<IReadOnlyList<KadPeer>?> Reply, Candidate Candidate)>();
        var rounds = 0;
        while (!found)
        {
            var considered = 0;
            foreach (var candidate in candidates.InDistanceOrder)
            {
                if (candidate.State == CandidateState.Failed)
                {
                    continue;
                }
                if (considered++ == k || inFlight.Count == alpha)
                {
                    break;
                }
                if (candidate.State == CandidateState.NotQueried)
                {
                    candidate.State = CandidateState.Waiting;
                    rounds = Math.Max(rounds, candidate.Depth + 1);
                    inFlight.Add((QueryAsync(rpc, candidate.PeerId, key, cancellationToken), candidate));
                }
            }
            if (inFlight.Count == 0)
            {
                break;
            }
            await Task.WhenAny(inFlight.Select(pair => pair.Reply)).ConfigureAwait(false);
            // One snapshot decides which replies are taken in: a reply completing meanwhile waits for the next pass.
            var done = inFlight.Where(pair => pair.Reply.IsCompleted).ToList();
            inFlight.RemoveAll(done.Contains);
            foreach (var (task, candidate) in done)
            {
                var reply = await task.ConfigureAwait(false);
                if (reply is null)
                {
                    candidate.State = CandidateState.Failed;
                    continue;
                }
                candidate.State = CandidateState.Answered;
                found |= candidate.PeerId == wanted;
                foreach (var peer in reply)
                {
                    found |= peer.PeerId == wanted && peer.Addresses.Count > 0;
                    candidates.Offer(peer.PeerId, candidate.Depth + 1);
                }
            }
        }
        var closest = candidates.InDistanceOrder.Where(c => c.State == CandidateState.Answered).Take(k).Select(c => c.PeerId).ToList();
        return new LookupOutcome(closest, rounds, found);
    }

    /// <summary>The reply, or null when the peer failed (any error but our own cancellation).</summary>
    private static async Task<IReadOnlyList<KadPeer>?> QueryAsync(IKadRpc rpc, PeerId peer, byte[] key, CancellationToken cancellationToken)
    {
        try
        {
            return await rpc.FindNodeAsync(peer, key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private enum CandidateState
    {
        NotQueried,
        Waiting,
        Answered,
        Failed,
    }

    private sealed class Candidate(PeerId peerId, KadId id, int depth)
    {
        public PeerId PeerId { get; } = peerId;

        public KadId Id { get; } = id;

        /// <summary>0 for a seed, r for a peer first learnt from a reply of round r.</summary>
        public int Depth { get; } = depth;

        public CandidateState State { get; set; }
    }

    /// <summary>Every peer seen, sorted by distance to the target; ourselves excluded.</summary>
    private sealed class CandidateList(KadId target, PeerId self)
    {
        private readonly List<Candidate> _sorted = [];
        private readonly HashSet<PeerId> _seen = [self];

        public IReadOnlyList<Candidate> InDistanceOrder => _sorted;

        public void Offer(PeerId peer, int depth)
        {
            if (!_seen.Add(peer))
            {
                return;
            }
            var candidate = new Candidate(peer, KadId.FromPeerId(peer), depth);
            int low = 0, high = _sorted.Count;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (target.CompareDistance(_sorted[middle].Id, candidate.Id) < 0)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }
            _sorted.Insert(low, candidate);
        }
    }
}
