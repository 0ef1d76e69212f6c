using Dione.Kademlia;
using Dione.Libp2p.Identity;

namespace Dione.Benchmarks.Dht;

/// <summary>A DHT node as the measurements see it, simulated or real: who it is, what it knows, how it asks.</summary>
internal interface IDhtBenchNode
{
    PeerId PeerId { get; }

    KadId Id { get; }

    RoutingTable Table { get; }

    /// <summary>Sends this node's requests (in the simulation, without changing any routing table).</summary>
    IKadRpc Rpc { get; }
}
