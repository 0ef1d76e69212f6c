using Dione.Kademlia;
using Dione.Kademlia.Protos;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Benchmarks.Dht;

/// <summary>Counts the requests one lookup sends, and how many of them failed, around another <see cref="IKadRpc"/>.</summary>
internal sealed class CountingKadRpc(IKadRpc inner) : IKadRpc
{
    private int _sent;
    private int _failed;

    public int Sent => Volatile.Read(ref _sent);

    public int Failed => Volatile.Read(ref _failed);

    public Task<IReadOnlyList<KadPeer>> FindNodeAsync(PeerId peer, byte[] key, CancellationToken cancellationToken) =>
        CountAsync(() => inner.FindNodeAsync(peer, key, cancellationToken));

    public Task<KadValueReply> GetValueAsync(PeerId peer, byte[] key, CancellationToken cancellationToken) =>
        CountAsync(() => inner.GetValueAsync(peer, key, cancellationToken));

    public Task PutValueAsync(PeerId peer, Record record, CancellationToken cancellationToken) =>
        CountAsync(() => inner.PutValueAsync(peer, record, cancellationToken));

    public Task<KadProvidersReply> GetProvidersAsync(PeerId peer, byte[] key, CancellationToken cancellationToken) =>
        CountAsync(() => inner.GetProvidersAsync(peer, key, cancellationToken));

    public Task AddProviderAsync(PeerId peer, byte[] key, IReadOnlyList<Multiaddress> addresses, CancellationToken cancellationToken) =>
        CountAsync(() => inner.AddProviderAsync(peer, key, addresses, cancellationToken));

    private async Task<T> CountAsync<T>(Func<Task<T>> request)
    {
        Interlocked.Increment(ref _sent);
        try
        {
            return await request().ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Increment(ref _failed);
            throw;
        }
    }

    private async Task CountAsync(Func<Task> request)
    {
        Interlocked.Increment(ref _sent);
        try
        {
            await request().ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Increment(ref _failed);
            throw;
        }
    }
}
