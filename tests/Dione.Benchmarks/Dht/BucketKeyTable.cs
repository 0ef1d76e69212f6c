using Dione.Kademlia;

namespace Dione.Benchmarks.Dht;

/// <summary>
/// One key for each 16-bit id prefix, found once (as go-libp2p-kad-dht ships a precomputed table), so a refresh can
/// pick a key in any bucket up to CPL 15 without hashing thousands of guesses: the simulation refreshes 1,000 tables
/// twice, which brute force would make its largest cost.
/// </summary>
internal sealed class BucketKeyTable
{
    private const int PrefixBits = 16;

    private readonly byte[][] _keyByPrefix = new byte[1 << PrefixBits][];

    public BucketKeyTable(Random random)
    {
        var missing = _keyByPrefix.Length;
        Span<byte> id = stackalloc byte[KadId.Length];
        while (missing > 0)
        {
            var key = new byte[KadId.Length];
            random.NextBytes(key);
            KadId.FromKey(key).WriteTo(id);
            var prefix = (id[0] << 8) | id[1];
            if (_keyByPrefix[prefix] is null)
            {
                _keyByPrefix[prefix] = key;
                missing--;
            }
        }
    }

    /// <summary>The deepest CPL this table serves.</summary>
    public static int MaxCpl => PrefixBits - 1;

    /// <summary>A key whose id shares exactly <paramref name="cpl"/> leading bits with <paramref name="local"/> (cpl ≤ 15).</summary>
    public byte[] InBucket(KadId local, int cpl, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cpl);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cpl, MaxCpl);
        Span<byte> bytes = stackalloc byte[KadId.Length];
        local.FlipBit(cpl).WriteTo(bytes);
        var keep = cpl + 1;
        var mask = (0xFFFF << (PrefixBits - keep)) & 0xFFFF;
        var prefix = (((bytes[0] << 8) | bytes[1]) & mask) | (random.Next(1 << PrefixBits) & ~mask & 0xFFFF);
        var key = _keyByPrefix[prefix];
        if (KadId.FromKey(key).CommonPrefixLength(local) != cpl)
        {
            throw new InvalidOperationException($"bucket key table: key for CPL {cpl} is in another bucket");
        }
        return key;
    }
}
