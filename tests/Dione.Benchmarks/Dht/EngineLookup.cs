using Dione.Kademlia;
using Dione.Kademlia.Lookup;
using Dione.Libp2p.Identity;

namespace Dione.Benchmarks.Dht;

/// <summary>Dione.Kademlia's <see cref="LookupEngine"/>, one engine per lookup over the caller's (counting) requests.</summary>
internal sealed class EngineLookup(LookupOptions options) : IDhtLookup
{
    public string Name => "LookupEngine";

    public async Task<LookupOutcome> FindClosestPeersAsync(IKadRpc rpc, PeerId self, IReadOnlyList<PeerId> seeds, byte[] key, CancellationToken cancellationToken)
    {
        var engine = new LookupEngine(rpc, self, options);
        var result = await engine.FindClosestPeersAsync(key, Seeds(seeds), cancellationToken: cancellationToken).ConfigureAwait(false);
        return new LookupOutcome([.. result.ClosestPeers.Select(p => p.PeerId)], result.Stats.Hops);
    }

    public async Task<LookupOutcome> FindPeerAsync(IKadRpc rpc, PeerId self, IReadOnlyList<PeerId> seeds, PeerId target, CancellationToken cancellationToken)
    {
        var engine = new LookupEngine(rpc, self, options);
        var result = await engine.FindPeerAsync(target, Seeds(seeds), cancellationToken: cancellationToken).ConfigureAwait(false);
        return new LookupOutcome([], result.Stats.Hops, result.Peer?.PeerId == target);
    }

    /// <summary>Seeds by id alone: the requests find addresses where a real node does (its peer store).</summary>
    private static IEnumerable<KadPeer> Seeds(IReadOnlyList<PeerId> seeds) => seeds.Select(p => new KadPeer(p));
}
