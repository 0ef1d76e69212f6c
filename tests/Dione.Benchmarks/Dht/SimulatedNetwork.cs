using Dione.Kademlia;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Benchmarks.Dht;

/// <summary>
/// An in-memory network of <see cref="SimulatedNode"/>s with random (seeded) peer ids, the FIND_NODE messages its
/// nodes exchanged, and the brute-force truth lookups are judged against.
/// </summary>
internal sealed class SimulatedNetwork
{
    private readonly List<SimulatedNode> _nodes;
    private readonly Dictionary<PeerId, SimulatedNode> _byPeer;
    private long _messages;

    public SimulatedNetwork(int count, int k, Random random)
    {
        _nodes = new List<SimulatedNode>(count);
        _byPeer = new Dictionary<PeerId, SimulatedNode>(count);
        while (_nodes.Count < count)
        {
            var index = _nodes.Count;
            var address = Multiaddress.Parse($"/ip4/10.{(index >> 16) & 255}.{(index >> 8) & 255}.{index & 255}/tcp/4001");
            var node = new SimulatedNode(RandomPeerId(random), address, k, this);
            if (_byPeer.TryAdd(node.PeerId, node))
            {
                _nodes.Add(node);
            }
        }
    }

    public IReadOnlyList<SimulatedNode> Nodes => _nodes;

    public IReadOnlyList<SimulatedNode> LiveNodes => [.. _nodes.Where(n => n.Alive)];

    /// <summary>FIND_NODE requests sent so far, answered or not.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    public void CountMessage() => Interlocked.Increment(ref _messages);

    public SimulatedNode Get(PeerId peer) => _byPeer[peer];

    /// <summary>
    /// Offers <paramref name="peer"/> to <paramref name="owner"/>'s routing table. When the bucket is full, its least
    /// recently seen member stays if alive (marked seen) and is replaced by the newcomer otherwise.
    /// </summary>
    public void Introduce(SimulatedNode owner, SimulatedNode peer)
    {
        var result = owner.Table.TryAdd(peer.PeerId);
        if (result is { Status: RoutingTableAddStatus.BucketFull, EvictionCandidate: { } candidate })
        {
            if (Get(candidate.PeerId).Alive)
            {
                owner.Table.MarkSeen(candidate.PeerId);
            }
            else
            {
                owner.Table.Remove(candidate.PeerId);
            }
        }
    }

    /// <summary>
    /// Fills every table as a converged network would: each node is offered every other node in random order, so each
    /// bucket holds k random members of its part of the key space, or all of them when fewer exist.
    /// </summary>
    public void FillConverged(Random random)
    {
        var order = _nodes.ToArray();
        foreach (var node in _nodes)
        {
            random.Shuffle(order);
            foreach (var other in order)
            {
                if (other != node)
                {
                    node.Table.TryAdd(other.PeerId);
                }
            }
        }
    }

    /// <summary>Marks a random <paramref name="fraction"/> of the nodes gone; routing tables keep them.</summary>
    public int RemoveFraction(double fraction, Random random)
    {
        var order = _nodes.ToArray();
        random.Shuffle(order);
        var gone = (int)Math.Round(fraction * order.Length);
        foreach (var node in order.Take(gone))
        {
            node.Alive = false;
        }
        return gone;
    }

    /// <summary>A sha2-256 peer id over random bytes: as good as a key's for the key space, and seeded.</summary>
    private static PeerId RandomPeerId(Random random)
    {
        var bytes = new byte[2 + KadId.Length];
        bytes[0] = 0x12;
        bytes[1] = KadId.Length;
        random.NextBytes(bytes.AsSpan(2));
        return PeerId.FromBytes(bytes);
    }
}
