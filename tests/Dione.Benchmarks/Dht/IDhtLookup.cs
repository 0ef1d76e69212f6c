using Dione.Kademlia;
using Dione.Libp2p.Identity;

namespace Dione.Benchmarks.Dht;

/// <summary>
/// The seam between the DHT benchmark and the lookup it measures. Each lookup is sent through <c>rpc</c> by the node
/// <c>self</c>, starting from <c>seeds</c> (the closest peers its routing table knows). Messages are counted by the
/// caller (see <see cref="CountingKadRpc"/>), so an implementation only reports rounds and results.
/// </summary>
internal interface IDhtLookup
{
    /// <summary>Named in every result line, so a figure always says which lookup produced it.</summary>
    string Name { get; }

    /// <summary>The k closest peers to <paramref name="key"/> that answered.</summary>
    Task<LookupOutcome> FindClosestPeersAsync(IKadRpc rpc, PeerId self, IReadOnlyList<PeerId> seeds, byte[] key, CancellationToken cancellationToken);

    /// <summary>Looks for <paramref name="target"/>, stopping once found; <see cref="LookupOutcome.Found"/> tells.</summary>
    Task<LookupOutcome> FindPeerAsync(IKadRpc rpc, PeerId self, IReadOnlyList<PeerId> seeds, PeerId target, CancellationToken cancellationToken);
}
