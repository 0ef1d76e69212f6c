using Dione.Kademlia;

namespace Dione.Benchmarks.Dht;

/// <summary>Holds nothing: the DHT benchmark only sends FIND_NODE.</summary>
internal sealed class EmptyProviderStore : IProviderStore
{
    public Task AddAsync(byte[] key, KadPeer provider, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<KadPeer>> GetAsync(byte[] key, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<KadPeer>>([]);
}
