namespace Dione.Kademlia;

/// <summary>A GET_PROVIDERS reply: providers of the key the peer knows, and the closer peers it knows.</summary>
/// <param name="Providers">At most <see cref="KadOptions.MaxProviders"/> providers.</param>
/// <param name="CloserPeers">At most <see cref="KadOptions.MaxCloserPeers"/> closer peers.</param>
public sealed record KadProvidersReply(IReadOnlyList<KadPeer> Providers, IReadOnlyList<KadPeer> CloserPeers);
