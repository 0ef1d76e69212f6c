using Dione.Kademlia.Tests.TestSupport;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Record = Dione.Kademlia.Protos.Record;

namespace Dione.Kademlia.Tests.Lookup;

/// <summary>
/// An in-memory Kademlia network answering <see cref="IKadRpc"/> requests: every node's routing table is filled with
/// all other nodes offered in a seeded random order (so far buckets hold k arbitrary peers and near ones are complete,
/// as in a settled network). Counts requests, and those in flight at once. Replies never complete synchronously.
/// </summary>
internal sealed class FakeKadNetwork : IKadRpc
{
    public static readonly Multiaddress Address = Multiaddress.Parse("/ip4/10.0.0.1/tcp/4001");

    private readonly Dictionary<PeerId, FakeKadNode> _nodes = [];
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _k;
    private readonly List<Task> _started = [];
    private int _inFlight;
    private int _maxInFlight;
    private int _requests;
    private int _requestsToUnknown;

    public FakeKadNetwork(int nodes, int seed, int k = KademliaDefaults.K)
    {
        _k = k;
        var random = new Random(seed);
        var ids = RandomPeers.Many(seed, nodes);
        foreach (var id in ids)
        {
            _nodes.Add(id, new FakeKadNode(id, k));
        }
        foreach (var node in _nodes.Values)
        {
            foreach (var other in ids.OrderBy(_ => random.Next()))
            {
                if (other != node.PeerId)
                {
                    node.Table.TryAdd(other);
                }
            }
        }
        Nodes = [.. ids.Select(id => _nodes[id])];
    }

    public IReadOnlyList<FakeKadNode> Nodes { get; }

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int InFlight => Volatile.Read(ref _inFlight);

    public int Requests => Volatile.Read(ref _requests);

    public int RequestsToUnknownPeers => Volatile.Read(ref _requestsToUnknown);

    /// <summary>Called (synchronously, inside the request) when a request starts, with the in-flight count.</summary>
    public Action<PeerId, int>? OnRequest { get; set; }

    public FakeKadNode this[PeerId peer] => _nodes[peer];

    /// <summary>Completes when every request started so far has ended (however it ended).</summary>
    public async Task SettledAsync()
    {
        Task[] started;
        lock (_started)
        {
            started = [.. _started];
        }
        foreach (var task in started)
        {
            try
            {
                await task;
            }
            catch (Exception)
            {
                // Failures and cancellations are outcomes too.
            }
        }
    }

    public void OpenGate() => _gate.TrySetResult();

    /// <summary>The seeds a node's own lookup would start from: its table's k closest to the key, with addresses.</summary>
    public IReadOnlyList<KadPeer> SeedsFor(FakeKadNode self, byte[] key) =>
        [.. self.Table.NearestPeers(KadId.FromKey(key), _k).Select(e => new KadPeer(e.PeerId, [Address]))];

    /// <summary>The true k closest nodes to the key by brute force, among those matching <paramref name="filter"/>.</summary>
    public List<PeerId> TrueClosest(byte[] key, int count, Func<FakeKadNode, bool>? filter = null)
    {
        var target = KadId.FromKey(key);
        return [.. Nodes.Where(n => filter?.Invoke(n) ?? true)
            .OrderBy(n => n.Id.Xor(target))
            .Take(count)
            .Select(n => n.PeerId)];
    }

    public Task<IReadOnlyList<KadPeer>> FindNodeAsync(PeerId peer, byte[] key, CancellationToken cancellationToken) =>
        HandleAsync(peer, node => Closer(node, key), cancellationToken);

    public Task<KadValueReply> GetValueAsync(PeerId peer, byte[] key, CancellationToken cancellationToken) =>
        HandleAsync(peer, node => new KadValueReply(node.RecordFor(key), Closer(node, key)), cancellationToken);

    public Task PutValueAsync(PeerId peer, Record record, CancellationToken cancellationToken) =>
        HandleAsync(peer, node =>
        {
            node.Records[Convert.ToHexString(record.Key.Span)] = record.Clone();
            return true;
        }, cancellationToken);

    public Task<KadProvidersReply> GetProvidersAsync(PeerId peer, byte[] key, CancellationToken cancellationToken) =>
        HandleAsync(peer, node => new KadProvidersReply(node.ProvidersOf(key), Closer(node, key)), cancellationToken);

    public Task AddProviderAsync(PeerId peer, byte[] key, IReadOnlyList<Multiaddress> addresses, CancellationToken cancellationToken) =>
        HandleAsync(peer, node =>
        {
            node.AddProvider(key, new KadPeer(Provider ?? throw new InvalidOperationException("set Provider"), addresses));
            return true;
        }, cancellationToken);

    /// <summary>The peer id ADD_PROVIDER announces (the sender, which <see cref="IKadRpc"/> does not pass).</summary>
    public PeerId? Provider { get; set; }

    private IReadOnlyList<KadPeer> Closer(FakeKadNode node, byte[] key)
    {
        if (node.Behaviour == FakeNodeBehaviour.Garbage)
        {
            var random = new Random(node.Requests);
            return [.. Enumerable.Range(0, 5000).Select(_ => new KadPeer(RandomPeers.Next(random), [Address]))];
        }
        return [.. node.Table.NearestPeers(KadId.FromKey(key), _k).Select(e => new KadPeer(e.PeerId, [Address]))];
    }

    private Task<T> HandleAsync<T>(PeerId peer, Func<FakeKadNode, T> answer, CancellationToken cancellationToken)
    {
        var task = AnswerAsync(peer, answer, cancellationToken);
        lock (_started)
        {
            _started.Add(task);
        }
        return task;
    }

    private async Task<T> AnswerAsync<T>(PeerId peer, Func<FakeKadNode, T> answer, CancellationToken cancellationToken)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        Interlocked.Increment(ref _requests);
        InterlockedMax(ref _maxInFlight, inFlight);
        try
        {
            OnRequest?.Invoke(peer, inFlight);
            await Task.Yield();
            if (!_nodes.TryGetValue(peer, out var node))
            {
                Interlocked.Increment(ref _requestsToUnknown);
                throw new IOException($"no such peer {peer}");
            }
            Interlocked.Increment(ref node.Requests);
            switch (node.Behaviour)
            {
                case FakeNodeBehaviour.Failing:
                    throw new IOException("peer gone");
                case FakeNodeBehaviour.Hanging:
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    break;
                case FakeNodeBehaviour.Gated:
                    await _gate.Task.WaitAsync(cancellationToken);
                    break;
            }
            return answer(node);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static void InterlockedMax(ref int location, int value)
    {
        var current = Volatile.Read(ref location);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
