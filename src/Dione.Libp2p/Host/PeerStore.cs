using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Libp2p.Host;

/// <summary>
/// Addresses, keys, protocols and agents of known peers; bounded in peers and in what each may hold.
/// When full, the peer seen longest ago is forgotten.
/// </summary>
public sealed class PeerStore
{
    public const int MaxAddressesPerPeer = 64;
    public const int MaxProtocolsPerPeer = 256;
    public const int MaxStringLength = 256;

    private readonly object _gate = new();
    private readonly Dictionary<PeerId, PeerInfo> _peers = [];
    private readonly int _capacity;

    public PeerStore(int capacity) => _capacity = capacity;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _peers.Count;
            }
        }
    }

    public PeerInfo? Get(PeerId peerId)
    {
        lock (_gate)
        {
            return _peers.GetValueOrDefault(peerId);
        }
    }

    public IReadOnlyList<PeerInfo> All()
    {
        lock (_gate)
        {
            return [.. _peers.Values];
        }
    }

    /// <summary>Adds addresses (their <c>/p2p/</c> part removed) to what we know of the peer.</summary>
    public PeerInfo AddAddresses(PeerId peerId, IEnumerable<Multiaddress> addresses) =>
        Update(peerId, info => info with { Addresses = Merge(info.Addresses, addresses.Select(a => a.WithoutPeerId())) });

    public PeerInfo SetPublicKey(PeerId peerId, PublicKey key)
    {
        if (!peerId.Matches(key))
        {
            throw new ArgumentException("key does not belong to this peer id", nameof(key));
        }
        return Update(peerId, info => info with { PublicKey = key });
    }

    /// <summary>Applies a change to a peer's record, creating it when new.</summary>
    public PeerInfo Update(PeerId peerId, Func<PeerInfo, PeerInfo> change)
    {
        lock (_gate)
        {
            var current = _peers.GetValueOrDefault(peerId) ?? new PeerInfo(peerId);
            var updated = Bound(change(current)) with { LastSeen = DateTimeOffset.UtcNow };
            if (!_peers.ContainsKey(peerId) && _peers.Count >= _capacity)
            {
                var oldest = _peers.Values.MinBy(p => p.LastSeen)!;
                _peers.Remove(oldest.PeerId);
            }
            _peers[peerId] = updated;
            return updated;
        }
    }

    public bool Remove(PeerId peerId)
    {
        lock (_gate)
        {
            return _peers.Remove(peerId);
        }
    }

    private static PeerInfo Bound(PeerInfo info) => info with
    {
        Addresses = info.Addresses.Count > MaxAddressesPerPeer ? [.. info.Addresses.Take(MaxAddressesPerPeer)] : info.Addresses,
        Protocols = info.Protocols.Count > MaxProtocolsPerPeer ? [.. info.Protocols.Take(MaxProtocolsPerPeer)] : info.Protocols,
        AgentVersion = Truncate(info.AgentVersion),
        ProtocolVersion = Truncate(info.ProtocolVersion),
    };

    private static string? Truncate(string? text) =>
        text is null || text.Length <= MaxStringLength ? text : text[..MaxStringLength];

    private static List<Multiaddress> Merge(IReadOnlyList<Multiaddress> existing, IEnumerable<Multiaddress> added)
    {
        var merged = new List<Multiaddress>(existing);
        foreach (var address in added)
        {
            if (!merged.Contains(address))
            {
                merged.Add(address);
            }
        }
        return merged;
    }
}
