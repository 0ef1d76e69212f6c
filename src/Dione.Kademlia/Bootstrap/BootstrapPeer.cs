using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Kademlia.Bootstrap;

/// <summary>A peer to bootstrap from and its dialable addresses, each without the trailing <c>/p2p/</c> component.</summary>
public sealed record BootstrapPeer(PeerId Id, IReadOnlyList<Multiaddress> Addresses);
