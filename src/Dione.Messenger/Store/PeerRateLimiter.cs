using Dione.Libp2p.Identity;

namespace Dione.Messenger.Store;

/// <summary>
/// A token bucket per peer: each request takes a token, tokens come back at a steady rate up to a burst. Idle peers'
/// buckets are dropped once full again, and the number of tracked peers is bounded.
/// </summary>
public sealed class PeerRateLimiter
{
    private readonly object _gate = new();
    private readonly Dictionary<PeerId, (double Tokens, long Stamp)> _buckets = [];
    private readonly TimeProvider _time;
    private readonly double _perSecond;
    private readonly int _burst;
    private readonly int _maxPeers;

    public PeerRateLimiter(double perSecond, int burst, int maxPeers = 4096, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(perSecond, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPeers, 1);
        _perSecond = perSecond;
        _burst = burst;
        _maxPeers = maxPeers;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Takes one token for <paramref name="peer"/>; false when its bucket is empty.</summary>
    public bool TryTake(PeerId peer)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            var (tokens, stamp) = _buckets.TryGetValue(peer, out var bucket) ? bucket : (_burst, now);
            tokens = Math.Min(_burst, tokens + (_time.GetElapsedTime(stamp, now).TotalSeconds * _perSecond));
            if (tokens < 1)
            {
                _buckets[peer] = (tokens, now);
                return false;
            }
            if (_buckets.Count >= _maxPeers && !_buckets.ContainsKey(peer))
            {
                DropFullBuckets(now);
                if (_buckets.Count >= _maxPeers)
                {
                    return false;
                }
            }
            _buckets[peer] = (tokens - 1, now);
            return true;
        }
    }

    private void DropFullBuckets(long now)
    {
        foreach (var (peer, (tokens, stamp)) in _buckets.ToList())
        {
            if (tokens + (_time.GetElapsedTime(stamp, now).TotalSeconds * _perSecond) >= _burst)
            {
                _buckets.Remove(peer);
            }
        }
    }
}
