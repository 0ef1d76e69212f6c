using Dione.Kademlia;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Benchmarks.Dht;

/// <summary>One node of the <see cref="SimulatedNetwork"/>: a peer id, a real <see cref="RoutingTable"/>, alive or gone.</summary>
internal sealed class SimulatedNode : IDhtBenchNode
{
    public SimulatedNode(PeerId peerId, Multiaddress address, int k, SimulatedNetwork network)
    {
        PeerId = peerId;
        Address = address;
        Id = KadId.FromPeerId(peerId);
        Table = new RoutingTable(Id, k, k);
        Rpc = new SimulatedKadRpc(network, this, learn: false);
        LearningRpc = new SimulatedKadRpc(network, this, learn: true);
    }

    public PeerId PeerId { get; }

    public KadId Id { get; }

    /// <summary>An address that is never dialled: replies carry it, as real replies carry addresses (find-peer needs them).</summary>
    public Multiaddress Address { get; }

    public RoutingTable Table { get; }

    /// <summary>False once the node has left the network: requests to it fail at once.</summary>
    public bool Alive { get; set; } = true;

    public IKadRpc Rpc { get; }

    /// <summary>Requests that update both routing tables on every answer, as connecting and identify do in a real network.</summary>
    public IKadRpc LearningRpc { get; }
}
