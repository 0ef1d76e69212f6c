namespace Dione.Kademlia;

/// <summary>Holds the provider records this node serves.</summary>
public interface IProviderStore
{
    Task AddAsync(byte[] key, KadPeer provider, CancellationToken cancellationToken);

    Task<IReadOnlyList<KadPeer>> GetAsync(byte[] key, int max, CancellationToken cancellationToken);
}
