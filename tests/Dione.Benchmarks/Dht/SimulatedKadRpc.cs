using Dione.Kademlia;
using Dione.Kademlia.Protos;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Benchmarks.Dht;

/// <summary>
/// The requests of one <see cref="SimulatedNode"/>, answered in memory by the addressed node's routing table, as
/// <c>KadRequestHandler</c> answers FIND_NODE: its k closest peers to the key, never the requester. A node that has
/// gone fails every request at once (a refused connection; a real network may instead cost a timeout, which changes
/// durations but not rounds, messages or success).
/// </summary>
/// <remarks>
/// When <c>learn</c> is set (while the network forms), an answer makes each side offer the other to its routing table,
/// as a connection followed by identify does between two DHT servers; a full bucket keeps its least recently seen
/// member when that member is alive (the liveness check of <see cref="RoutingTableManager"/>) and replaces it otherwise.
/// </remarks>
internal sealed class SimulatedKadRpc(SimulatedNetwork network, SimulatedNode requester, bool learn) : IKadRpc
{
    public Task<IReadOnlyList<KadPeer>> FindNodeAsync(PeerId peer, byte[] key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        network.CountMessage();
        var node = network.Get(peer);
        if (!node.Alive)
        {
            return Task.FromException<IReadOnlyList<KadPeer>>(new IOException($"simulated peer {peer} has gone"));
        }
        var k = node.Table.BucketSize;
        var closer = new List<KadPeer>(k);
        foreach (var entry in node.Table.NearestPeers(KadId.FromKey(key), k + 1))
        {
            if (closer.Count == k)
            {
                break;
            }
            if (entry.PeerId != requester.PeerId)
            {
                closer.Add(new KadPeer(entry.PeerId, [network.Get(entry.PeerId).Address]));
            }
        }
        if (learn)
        {
            network.Introduce(requester, node);
            network.Introduce(node, requester);
        }
        return Task.FromResult<IReadOnlyList<KadPeer>>(closer);
    }

    public Task<KadValueReply> GetValueAsync(PeerId peer, byte[] key, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the simulated network answers FIND_NODE only");

    public Task PutValueAsync(PeerId peer, Record record, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the simulated network answers FIND_NODE only");

    public Task<KadProvidersReply> GetProvidersAsync(PeerId peer, byte[] key, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the simulated network answers FIND_NODE only");

    public Task AddProviderAsync(PeerId peer, byte[] key, IReadOnlyList<Multiaddress> addresses, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the simulated network answers FIND_NODE only");
}
