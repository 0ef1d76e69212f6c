using System.Collections.Concurrent;
using Dione.Libp2p.Identity;
using Record = Dione.Kademlia.Protos.Record;

namespace Dione.Kademlia.Tests.Lookup;

/// <summary>One node of <see cref="FakeKadNetwork"/>: a routing table of its neighbours and in-memory stores.</summary>
internal sealed class FakeKadNode(PeerId peerId, int k)
{
    public PeerId PeerId { get; } = peerId;

    public KadId Id { get; } = KadId.FromPeerId(peerId);

    public RoutingTable Table { get; } = new(peerId, k);

    public FakeNodeBehaviour Behaviour { get; set; } = FakeNodeBehaviour.Honest;

    public ConcurrentDictionary<string, Record> Records { get; } = new();

    public ConcurrentDictionary<string, List<KadPeer>> Providers { get; } = new();

    public int Requests;

    public Record? RecordFor(byte[] key) => Records.TryGetValue(Convert.ToHexString(key), out var r) ? r : null;

    public IReadOnlyList<KadPeer> ProvidersOf(byte[] key)
    {
        if (!Providers.TryGetValue(Convert.ToHexString(key), out var list))
        {
            return [];
        }
        lock (list)
        {
            return [.. list];
        }
    }

    public void AddProvider(byte[] key, KadPeer provider)
    {
        var list = Providers.GetOrAdd(Convert.ToHexString(key), _ => []);
        lock (list)
        {
            list.RemoveAll(p => p.PeerId == provider.PeerId);
            list.Add(provider);
        }
    }
}
