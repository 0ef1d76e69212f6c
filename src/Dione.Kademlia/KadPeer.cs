namespace Dione.Kademlia;

/// <summary>A peer as the DHT carries it: id, addresses, and the connection type the sender reports.</summary>
public sealed record KadPeer(
    Dione.Libp2p.Identity.PeerId Id,
    IReadOnlyList<Dione.Libp2p.Multiformats.Multiaddr.Multiaddress> Addresses,
    Protos.Message.Types.ConnectionType Connection = Protos.Message.Types.ConnectionType.NotConnected);
