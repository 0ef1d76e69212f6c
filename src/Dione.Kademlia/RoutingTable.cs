using Dione.Libp2p.Identity;

namespace Dione.Kademlia;

/// <summary>
/// The Kademlia routing table (specs/kad-dht "Kademlia routing table"): 256 buckets indexed by the common prefix
/// length (CPL) of a peer's <see cref="KadId"/> with ours, each holding at most <see cref="BucketSize"/> peers and a
/// bounded replacement cache of peers that arrived while it was full. Thread-safe: every operation takes one lock.
/// </summary>
/// <remarks>
/// The table does no I/O. When a bucket is full, <see cref="TryAdd"/> parks the newcomer in the replacement cache
/// and names the least recently seen member as eviction candidate; the caller checks that candidate (see
/// <see cref="RoutingTableManager"/>) and calls <see cref="Remove"/> if it is dead, which promotes the most recently
/// offered replacement, or <see cref="MarkSeen"/> if it is alive.
/// </remarks>
public sealed class RoutingTable
{
    /// <summary>Number of buckets: one per CPL 0..255 (CPL 256 is ourselves).</summary>
    public const int BucketCount = KadId.Bits;

    private readonly object _gate = new();
    private readonly List<RoutingTableEntry>?[] _members = new List<RoutingTableEntry>?[BucketCount];
    private readonly List<RoutingTableEntry>?[] _replacements = new List<RoutingTableEntry>?[BucketCount];
    private readonly DateTimeOffset?[] _refreshedAt = new DateTimeOffset?[BucketCount];
    private readonly Dictionary<PeerId, RoutingTableEntry> _byPeer = [];
    private readonly Dictionary<string, int> _groupCount = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Cpl, string Group), int> _bucketGroupCount = [];
    private readonly TimeProvider _time;
    private readonly IpDiversityLimits? _diversity;

    /// <param name="localId">Our own id (SHA-256 of our peer id).</param>
    /// <param name="bucketSize">k, the peers kept per bucket.</param>
    /// <param name="replacementCacheSize">Replacement candidates kept per bucket; the oldest offered is dropped first.</param>
    /// <param name="timeProvider">Clock for <see cref="RoutingTableEntry.AddedAt"/>, <see cref="RoutingTableEntry.LastSeen"/> and refresh times.</param>
    public RoutingTable(KadId localId, int bucketSize = KademliaDefaults.K, int replacementCacheSize = KademliaDefaults.K, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(replacementCacheSize);
        LocalId = localId;
        BucketSize = bucketSize;
        ReplacementCacheSize = replacementCacheSize;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>A table for the peer <paramref name="local"/>.</summary>
    public RoutingTable(PeerId local, int bucketSize = KademliaDefaults.K, int replacementCacheSize = KademliaDefaults.K, TimeProvider? timeProvider = null)
        : this(KadId.FromPeerId(local), bucketSize, replacementCacheSize, timeProvider)
    {
    }

    public KadId LocalId { get; }

    /// <summary>k: the most peers a bucket holds.</summary>
    public int BucketSize { get; }

    public int ReplacementCacheSize { get; }

    /// <summary>
    /// When set, bucket members are counted by <see cref="IpGroup"/> and a newcomer whose group is at either bound is
    /// refused (<see cref="RoutingTableAddStatus.DiversityLimit"/>), as go-libp2p-kbucket's diversity filter; a
    /// replacement is promoted only if its group fits. Null (no limit) by default.
    /// </summary>
    public IpDiversityLimits? Diversity
    {
        get => _diversity;
        init
        {
            value?.Validate();
            _diversity = value;
        }
    }

    /// <summary>Peers in the buckets (replacement caches not counted).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byPeer.Count;
            }
        }
    }

    /// <summary>The highest CPL whose bucket holds a peer, or -1 when the table is empty.</summary>
    public int HighestOccupiedBucket
    {
        get
        {
            lock (_gate)
            {
                for (var cpl = BucketCount - 1; cpl >= 0; cpl--)
                {
                    if (_members[cpl] is { Count: > 0 })
                    {
                        return cpl;
                    }
                }
                return -1;
            }
        }
    }

    /// <summary>The bucket <paramref name="peer"/> belongs in: its CPL with us (256 for ourselves).</summary>
    public int BucketOf(PeerId peer) => LocalId.CommonPrefixLength(KadId.FromPeerId(peer));

    /// <summary>
    /// Offers <paramref name="peer"/> to its bucket. A member is marked seen; a newcomer is added when the bucket has
    /// room, otherwise it goes to the replacement cache and the least recently seen member is returned as candidate.
    /// With <see cref="Diversity"/> set, a newcomer needs an <paramref name="ipGroup"/> (see <see cref="IpGroup"/>) with
    /// room in its bucket and in the table.
    /// </summary>
    public RoutingTableAddResult TryAdd(PeerId peer, string? ipGroup = null)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var id = KadId.FromPeerId(peer);
        var cpl = LocalId.CommonPrefixLength(id);
        if (cpl == KadId.Bits)
        {
            return new RoutingTableAddResult(RoutingTableAddStatus.Rejected);
        }
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_byPeer.TryGetValue(peer, out var existing))
            {
                Replace(cpl, existing with { LastSeen = now });
                return new RoutingTableAddResult(RoutingTableAddStatus.AlreadyPresent);
            }
            if (_diversity is not null)
            {
                if (ipGroup is null || !GroupFits(cpl, ipGroup))
                {
                    return new RoutingTableAddResult(RoutingTableAddStatus.DiversityLimit);
                }
            }
            else
            {
                ipGroup = null;
            }
            var bucket = _members[cpl] ??= new List<RoutingTableEntry>(BucketSize);
            var replacements = _replacements[cpl];
            var offered = replacements is null ? -1 : IndexOf(replacements, peer);
            if (bucket.Count < BucketSize)
            {
                if (offered >= 0)
                {
                    replacements!.RemoveAt(offered);
                }
                var entry = new RoutingTableEntry(peer, id, now, now) { IpGroupKey = ipGroup };
                bucket.Add(entry);
                _byPeer[peer] = entry;
                CountGroup(cpl, entry, +1);
                return new RoutingTableAddResult(RoutingTableAddStatus.Added);
            }
            if (ReplacementCacheSize > 0)
            {
                replacements = _replacements[cpl] ??= new List<RoutingTableEntry>(ReplacementCacheSize);
                var addedAt = now;
                if (offered >= 0)
                {
                    addedAt = replacements[offered].AddedAt;
                    replacements.RemoveAt(offered);
                }
                else if (replacements.Count >= ReplacementCacheSize)
                {
                    replacements.RemoveAt(0);
                }
                replacements.Add(new RoutingTableEntry(peer, id, addedAt, now) { IpGroupKey = ipGroup });
            }
            return new RoutingTableAddResult(RoutingTableAddStatus.BucketFull, LeastRecentlySeen(bucket));
        }
    }

    /// <summary>Records that <paramref name="peer"/> proved alive; false when it is not in a bucket.</summary>
    public bool MarkSeen(PeerId peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_byPeer.TryGetValue(peer, out var existing))
            {
                return false;
            }
            Replace(LocalId.CommonPrefixLength(existing.Id), existing with { LastSeen = now });
            return true;
        }
    }

    /// <summary>
    /// Removes <paramref name="peer"/> from its bucket and from the replacement cache. When it leaves a bucket, the
    /// most recently offered replacement takes its place.
    /// </summary>
    /// <returns>True when the peer was in a bucket.</returns>
    public bool Remove(PeerId peer) => Remove(peer, out _);

    /// <summary>As <see cref="Remove(PeerId)"/>, also telling which replacement, if any, was promoted.</summary>
    public bool Remove(PeerId peer, out RoutingTableEntry? promoted)
    {
        ArgumentNullException.ThrowIfNull(peer);
        promoted = null;
        var cpl = BucketOf(peer);
        if (cpl == KadId.Bits)
        {
            return false;
        }
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var replacements = _replacements[cpl];
            var offered = replacements is null ? -1 : IndexOf(replacements, peer);
            if (offered >= 0)
            {
                replacements!.RemoveAt(offered);
            }
            if (!_byPeer.Remove(peer))
            {
                return false;
            }
            var bucket = _members[cpl]!;
            var index = IndexOf(bucket, peer);
            CountGroup(cpl, bucket[index], -1);
            bucket.RemoveAt(index);
            if (replacements is { Count: > 0 })
            {
                // The most recently offered replacement whose IP group still fits (any, without a diversity limit).
                for (var i = replacements.Count - 1; i >= 0; i--)
                {
                    var candidate = replacements[i];
                    if (_diversity is not null && (candidate.IpGroupKey is null || !GroupFits(cpl, candidate.IpGroupKey)))
                    {
                        continue;
                    }
                    promoted = candidate with { AddedAt = now };
                    replacements.RemoveAt(i);
                    bucket.Add(promoted);
                    _byPeer[promoted.PeerId] = promoted;
                    CountGroup(cpl, promoted, +1);
                    break;
                }
            }
            return true;
        }
    }

    /// <summary>True when <paramref name="peer"/> is in a bucket.</summary>
    public bool Contains(PeerId peer)
    {
        lock (_gate)
        {
            return _byPeer.ContainsKey(peer);
        }
    }

    /// <summary>The bucket entry of <paramref name="peer"/>, or null.</summary>
    public RoutingTableEntry? Find(PeerId peer)
    {
        lock (_gate)
        {
            return _byPeer.GetValueOrDefault(peer);
        }
    }

    /// <summary>Every peer in the buckets.</summary>
    public IReadOnlyList<RoutingTableEntry> GetAll()
    {
        lock (_gate)
        {
            return [.. _byPeer.Values];
        }
    }

    /// <summary>The members of bucket <paramref name="cpl"/>, in insertion order.</summary>
    public IReadOnlyList<RoutingTableEntry> GetBucket(int cpl)
    {
        CheckCpl(cpl);
        lock (_gate)
        {
            return _members[cpl] is { } bucket ? [.. bucket] : [];
        }
    }

    /// <summary>The replacement cache of bucket <paramref name="cpl"/>, oldest offer first.</summary>
    public IReadOnlyList<RoutingTableEntry> GetReplacements(int cpl)
    {
        CheckCpl(cpl);
        lock (_gate)
        {
            return _replacements[cpl] is { } cache ? [.. cache] : [];
        }
    }

    /// <summary>
    /// The <paramref name="count"/> members closest to <paramref name="target"/> by XOR distance, closest first. Exact:
    /// the bucket of the target's CPL with us holds everything closer than the higher buckets taken together, which
    /// hold everything closer than the bucket below, and so on down; only those buckets needed are sorted.
    /// </summary>
    public IReadOnlyList<RoutingTableEntry> NearestPeers(KadId target, int count)
    {
        if (count <= 0)
        {
            return [];
        }
        var result = new List<RoutingTableEntry>(Math.Min(count, 4 * BucketSize));
        var scratch = new List<RoutingTableEntry>();
        var cpl = LocalId.CommonPrefixLength(target);
        lock (_gate)
        {
            if (cpl < BucketCount)
            {
                TakeClosest(target, _members[cpl], scratch, result, count);
                if (result.Count < count)
                {
                    for (var above = cpl + 1; above < BucketCount; above++)
                    {
                        if (_members[above] is { } bucket)
                        {
                            scratch.AddRange(bucket);
                        }
                    }
                    TakeClosest(target, null, scratch, result, count);
                }
            }
            for (var below = Math.Min(cpl, BucketCount) - 1; below >= 0 && result.Count < count; below--)
            {
                TakeClosest(target, _members[below], scratch, result, count);
            }
        }
        return result;
    }

    /// <summary>
    /// Buckets due for a refresh: those of CPL 0..min(highest occupied, <paramref name="maxCpl"/>) (at least CPL 0)
    /// not refreshed within <paramref name="age"/>, never-refreshed ones included.
    /// </summary>
    public IReadOnlyList<int> BucketsNotRefreshedSince(TimeSpan age, int maxCpl = BucketKeyGenerator.MaxRefreshableCpl)
    {
        var threshold = _time.GetUtcNow() - age;
        var highest = Math.Min(Math.Max(HighestOccupiedBucket, 0), Math.Min(maxCpl, BucketCount - 1));
        var due = new List<int>();
        lock (_gate)
        {
            for (var cpl = 0; cpl <= highest; cpl++)
            {
                if (_refreshedAt[cpl] is not { } at || at <= threshold)
                {
                    due.Add(cpl);
                }
            }
        }
        return due;
    }

    /// <summary>Records that bucket <paramref name="cpl"/> was just refreshed.</summary>
    public void MarkRefreshed(int cpl)
    {
        CheckCpl(cpl);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            _refreshedAt[cpl] = now;
        }
    }

    /// <summary>Records that the bucket <paramref name="key"/> falls in was just refreshed (a lookup for it ran).</summary>
    public void MarkRefreshed(KadId key)
    {
        var cpl = LocalId.CommonPrefixLength(key);
        if (cpl < BucketCount)
        {
            MarkRefreshed(cpl);
        }
    }

    /// <summary>When bucket <paramref name="cpl"/> was last refreshed, or null if never.</summary>
    public DateTimeOffset? LastRefreshed(int cpl)
    {
        CheckCpl(cpl);
        lock (_gate)
        {
            return _refreshedAt[cpl];
        }
    }

    /// <summary>A random id in bucket <paramref name="cpl"/> (see <see cref="BucketKeyGenerator.RandomIdInBucket"/>).</summary>
    public KadId RandomIdInBucket(int cpl) => BucketKeyGenerator.RandomIdInBucket(LocalId, cpl);

    /// <summary>
    /// A random peer id whose id falls in bucket <paramref name="cpl"/>: from the precomputed prefix table up to
    /// <see cref="BucketKeyGenerator.MaxRefreshableCpl"/>, by bounded search above (see <see cref="BucketKeyGenerator"/>).
    /// </summary>
    public bool TryRandomPeerIdInBucket(int cpl, out PeerId? peerId, int maxTries = BucketKeyGenerator.DefaultMaxTries)
    {
        if (cpl is >= 0 and <= BucketKeyGenerator.MaxRefreshableCpl)
        {
            peerId = BucketKeyGenerator.PeerIdInBucket(LocalId, cpl);
            return true;
        }
        return BucketKeyGenerator.TryRandomPeerIdInBucket(LocalId, cpl, out peerId, maxTries);
    }

    private static void TakeClosest(KadId target, List<RoutingTableEntry>? bucket, List<RoutingTableEntry> scratch, List<RoutingTableEntry> result, int count)
    {
        if (bucket is not null)
        {
            scratch.AddRange(bucket);
        }
        if (scratch.Count == 0)
        {
            return;
        }
        scratch.Sort((a, b) => target.CompareDistance(a.Id, b.Id));
        for (var i = 0; i < scratch.Count && result.Count < count; i++)
        {
            result.Add(scratch[i]);
        }
        scratch.Clear();
    }

    /// <summary>Peers of <paramref name="ipGroup"/> in the buckets.</summary>
    public int CountInGroup(string ipGroup)
    {
        ArgumentNullException.ThrowIfNull(ipGroup);
        lock (_gate)
        {
            return _groupCount.GetValueOrDefault(ipGroup);
        }
    }

    private bool GroupFits(int cpl, string group) =>
        _groupCount.GetValueOrDefault(group) < _diversity!.PerTable
        && _bucketGroupCount.GetValueOrDefault((cpl, group)) < _diversity.PerBucket;

    private void CountGroup(int cpl, RoutingTableEntry entry, int delta)
    {
        if (entry.IpGroupKey is not { } group)
        {
            return;
        }
        Adjust(_groupCount, group, delta);
        Adjust(_bucketGroupCount, (cpl, group), delta);
    }

    private static void Adjust<TKey>(Dictionary<TKey, int> counts, TKey key, int delta)
        where TKey : notnull
    {
        var value = counts.GetValueOrDefault(key) + delta;
        if (value <= 0)
        {
            counts.Remove(key);
        }
        else
        {
            counts[key] = value;
        }
    }

    private void Replace(int cpl, RoutingTableEntry updated)
    {
        var bucket = _members[cpl]!;
        bucket[IndexOf(bucket, updated.PeerId)] = updated;
        _byPeer[updated.PeerId] = updated;
    }

    private static RoutingTableEntry LeastRecentlySeen(List<RoutingTableEntry> bucket)
    {
        var oldest = bucket[0];
        for (var i = 1; i < bucket.Count; i++)
        {
            if (bucket[i].LastSeen < oldest.LastSeen)
            {
                oldest = bucket[i];
            }
        }
        return oldest;
    }

    private static int IndexOf(List<RoutingTableEntry> list, PeerId peer)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].PeerId == peer)
            {
                return i;
            }
        }
        return -1;
    }

    private static void CheckCpl(int cpl)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cpl);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cpl, BucketCount);
    }
}
