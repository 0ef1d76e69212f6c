using Dione.Libp2p.Identity;

namespace Dione.Messenger.Mailbox;

/// <summary>
/// Who holds an address, for polling and watching: an overlay lookup, remembered for a while because a receiver asks
/// for the same addresses again and again.
/// </summary>
/// <remarks>
/// The routing table alone is not enough: a full bucket may have turned the true holders away (k = 20 of, say, 25
/// peers in bucket 0 of a 50-node swarm), and a node that has just joined knows only a few peers yet. A lookup asks
/// the peers closest to the address, so it finds the holders either way.
/// </remarks>
internal sealed class HolderResolver
{
    /// <summary>How long a looked-up holder set is reused.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Addresses remembered at most; the cache is emptied when it is full.</summary>
    public const int MaxCached = 8192;

    private readonly TimeProvider _time;
    private readonly Dictionary<string, (IReadOnlyList<PeerId> Holders, DateTimeOffset Until)> _cache = [];
    private readonly object _gate = new();

    public HolderResolver(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The holders of <paramref name="address"/> as last looked up, when that was recent enough; no network traffic.</summary>
    public bool TryGetRemembered(byte[] address, out IReadOnlyList<PeerId> holders)
    {
        lock (_gate)
        {
            if (_cache.TryGetValue(Convert.ToHexString(address), out var cached) && cached.Until > _time.GetUtcNow())
            {
                holders = cached.Holders;
                return true;
            }
        }
        holders = [];
        return false;
    }

    /// <summary>The holders of <paramref name="address"/> other than this node, remembered or found by <paramref name="lookup"/>.</summary>
    public async Task<IReadOnlyList<PeerId>> ResolveAsync(
        byte[] address, Func<byte[], CancellationToken, Task<IReadOnlyList<PeerId>>> lookup, CancellationToken cancellationToken)
    {
        var key = Convert.ToHexString(address);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_cache.TryGetValue(key, out var cached) && cached.Until > now)
            {
                return cached.Holders;
            }
        }
        var holders = await lookup(address, cancellationToken).ConfigureAwait(false);
        if (holders.Count == 0)
        {
            return holders; // nobody known yet: ask again next time
        }
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
