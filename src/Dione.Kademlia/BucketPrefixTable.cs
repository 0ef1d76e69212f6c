using System.Buffers.Binary;
using Dione.Libp2p.Multiformats;

namespace Dione.Kademlia;

/// <summary>
/// For every 16-bit prefix, the smallest counter <c>n</c> such that the peer id <c>0x12 0x20 ‖ n (4 bytes, big-endian)
/// ‖ 28 zero bytes</c> (a sha2-256 multihash) has a SHA-256 starting with that prefix. go-libp2p-kbucket generates the
/// same table (its <c>keyPrefixMap</c>) and derives refresh keys from it, so both pick the same ids.
/// </summary>
/// <remarks>
/// The table is an embedded resource of 65,536 big-endian 3-byte counters (the largest is 753,014), made once by
/// hashing counters 0, 1, 2, … until every prefix is seen; a test repeats that and compares, and checks go's first
/// entries. Read-only after loading.
/// </remarks>
internal static class BucketPrefixTable
{
    /// <summary>Bits of the prefix the table is indexed by.</summary>
    public const int PrefixBits = 16;

    /// <summary>Bytes per counter in the resource.</summary>
    public const int EntryBytes = 3;

    public const string ResourceName = "Dione.Kademlia.bucket-prefix-keys.bin";

    private static readonly byte[] Entries = Load();

    /// <summary>The counter for <paramref name="prefix"/>.</summary>
    public static uint CounterFor(int prefix)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefix);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(prefix, 1 << PrefixBits);
        var at = prefix * EntryBytes;
        return ((uint)Entries[at] << 16) | ((uint)Entries[at + 1] << 8) | Entries[at + 2];
    }

    /// <summary>The peer id (34 bytes) made from <paramref name="counter"/>.</summary>
    public static byte[] PeerIdBytes(uint counter)
    {
        var bytes = new byte[2 + Multihash.Sha256Length];
        bytes[0] = (byte)MultihashCode.Sha2_256;
        bytes[1] = Multihash.Sha256Length;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(2), counter);
        return bytes;
    }

    private static byte[] Load()
    {
        using var stream = typeof(BucketPrefixTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"missing resource {ResourceName}");
        var entries = new byte[(1 << PrefixBits) * EntryBytes];
        stream.ReadExactly(entries);
        if (stream.ReadByte() != -1)
        {
            throw new InvalidOperationException($"resource {ResourceName} is longer than {entries.Length} bytes");
        }
        return entries;
    }
}
