using Dione.Kademlia;
using Dione.Libp2p.Identity;
using Dione.Messenger.Overlay;

namespace Dione.Messenger.Mailbox;

/// <summary>
/// Who holds an address, for polling: the overlay routing table's answer when it can be trusted, a lookup otherwise,
/// remembered for a while because a receiver polls the same addresses again and again.
/// </summary>
/// <remarks>
/// The peers closest to a target T all sit in the bucket of index cpl(self, T) (or deeper ones when it holds fewer
/// than r). While that bucket is not full, the table knows every peer it was ever offered there, so its nearest peers
/// are the holders. A full bucket may have turned peers away (k = 20 of, say, 25 in bucket 0 of a 50-node swarm), and
/// then only a lookup finds the true holders.
/// </remarks>
internal sealed class HolderResolver
{
    /// <summary>How long a looked-up holder set is reused.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Addresses remembered at most; the cache is emptied when it is full.</summary>
    public const int MaxCached = 8192;

    private readonly DioneOverlay _overlay;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, (IReadOnlyList<PeerId> Holders, DateTimeOffset Until)> _cache = [];
    private readonly object _gate = new();

    public HolderResolver(DioneOverlay overlay, TimeProvider? time = null)
    {
        _overlay = overlay;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The holders of <paramref name="address"/> other than this node.</summary>
    public async Task<IReadOnlyList<PeerId>> ResolveAsync(byte[] address, CancellationToken cancellationToken)
    {
        var table = _overlay.Dht.RoutingTable;
        var cpl = table.LocalId.CommonPrefixLength(KadId.FromKey(address));
        if (cpl >= RoutingTable.BucketCount || table.GetBucket(cpl).Count < table.BucketSize)
        {
            return _overlay.KnownHolders(address);
        }
        var key = Convert.ToHexString(address);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_cache.TryGetValue(key, out var cached) && cached.Until > now)
            {
                return cached.Holders;
            }
        }
        var holders = await _overlay.FindHoldersAsync(address, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (_cache.Count >= MaxCached)
            {
                _cache.Clear();
            }
            _cache[key] = (holders, now + CacheLifetime);
        }
        return holders;
    }
}
