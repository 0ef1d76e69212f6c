using Dione.Kademlia.Protos;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Kademlia;

/// <summary>
/// A peer as the DHT exchanges it (<c>Message.Peer</c>): its id, its transport addresses (without <c>/p2p/</c>)
/// and how the sender is connected to it. Equality compares the id, the addresses in order and the connection type.
/// </summary>
public sealed record KadPeer(
    PeerId PeerId,
    IReadOnlyList<Multiaddress> Addresses,
    Message.Types.ConnectionType Connection = Message.Types.ConnectionType.NotConnected)
{
    /// <summary>A peer with no known address.</summary>
    public KadPeer(PeerId peerId)
        : this(peerId, [])
    {
    }

    public bool Equals(KadPeer? other) =>
        other is not null
        && PeerId == other.PeerId
        && Connection == other.Connection
        && Addresses.SequenceEqual(other.Addresses);

    public override int GetHashCode() => HashCode.Combine(PeerId, Connection, Addresses.Count);

    public override string ToString() => $"{PeerId} ({Addresses.Count} addresses, {Connection})";
}
