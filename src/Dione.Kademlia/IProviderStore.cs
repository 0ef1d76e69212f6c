namespace Dione.Kademlia;

/// <summary>Where a DHT server keeps provider records (ADD_PROVIDER / GET_PROVIDERS), keyed by multihash bytes.</summary>
public interface IProviderStore
{
    /// <summary>Records that <paramref name="provider"/> provides <paramref name="key"/> (refreshing it when already known).</summary>
    Task AddAsync(byte[] key, KadPeer provider, CancellationToken cancellationToken);

    /// <summary>At most <paramref name="max"/> providers of <paramref name="key"/>.</summary>
    Task<IReadOnlyList<KadPeer>> GetAsync(byte[] key, int max, CancellationToken cancellationToken);
}
