using Dione.Kademlia;
using Dione.Libp2p.Identity;

namespace Dione.Benchmarks.Dht;

/// <summary>
/// The seam between the DHT benchmark and the lookup it measures: one closest-peers lookup for <c>key</c>, sent
/// through <c>rpc</c> by the node <c>self</c>, starting from <c>seeds</c> (the closest peers its routing table knows).
/// Messages are counted by the caller (see <see cref="CountingKadRpc"/>), so an implementation only reports rounds.
/// </summary>
internal interface IDhtLookup
{
    /// <summary>Named in every result line, so a figure always says which lookup produced it.</summary>
    string Name { get; }

    Task<LookupOutcome> FindClosestPeersAsync(IKadRpc rpc, PeerId self, IReadOnlyList<PeerId> seeds, byte[] key, CancellationToken cancellationToken);
}
