using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Kademlia;

/// <summary>
/// The requests a lookup sends to one peer. <see cref="KadClient"/> sends them over libp2p streams; the DHT
/// benchmark's simulated network answers them in memory, so lookups can be measured over thousands of nodes.
/// </summary>
public interface IKadRpc
{
    Task<IReadOnlyList<KadPeer>> FindNodeAsync(PeerId peer, byte[] key, CancellationToken cancellationToken);

    Task<KadValueReply> GetValueAsync(PeerId peer, byte[] key, CancellationToken cancellationToken);

    Task PutValueAsync(PeerId peer, Protos.Record record, CancellationToken cancellationToken);

    Task<KadProvidersReply> GetProvidersAsync(PeerId peer, byte[] key, CancellationToken cancellationToken);

    Task AddProviderAsync(PeerId peer, byte[] key, IReadOnlyList<Multiaddress> addresses, CancellationToken cancellationToken);
}
