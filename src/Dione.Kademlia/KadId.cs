using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using Dione.Libp2p.Identity;

namespace Dione.Kademlia;

/// <summary>
/// A point of the 256-bit Kademlia key space: the SHA-256 of a key's bytes (for a peer, of its binary peer id).
/// Distances are XOR (specs/kad-dht "Distance") and compare as unsigned big-endian numbers.
/// Held as four 64-bit words, most significant first, so XOR, comparison and prefix length need no allocation.
/// </summary>
public readonly struct KadId : IEquatable<KadId>, IComparable<KadId>
{
    /// <summary>Bytes in an id.</summary>
    public const int Length = 32;

    /// <summary>Bits in an id; also the common prefix length of an id with itself.</summary>
    public const int Bits = 256;

    private readonly ulong _w0;
    private readonly ulong _w1;
    private readonly ulong _w2;
    private readonly ulong _w3;

    private KadId(ulong w0, ulong w1, ulong w2, ulong w3)
    {
        _w0 = w0;
        _w1 = w1;
        _w2 = w2;
        _w3 = w3;
    }

    /// <summary>The all-zero id.</summary>
    public static KadId Zero => default;

    /// <summary>The id of a key: SHA-256 of <paramref name="key"/>.</summary>
    public static KadId FromKey(ReadOnlySpan<byte> key)
    {
        Span<byte> hash = stackalloc byte[Length];
        SHA256.HashData(key, hash);
        return FromBytes(hash);
    }

    /// <summary>The id of a peer: SHA-256 of its binary peer id (a multihash).</summary>
    public static KadId FromPeerId(PeerId peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return FromKey(peer.Bytes);
    }

    /// <summary>An id from its 32 raw bytes (no hashing).</summary>
    public static KadId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"a Kademlia id has {Length} bytes, not {bytes.Length}", nameof(bytes));
        }
        return new KadId(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));
    }

    /// <summary>A uniformly random id.</summary>
    public static KadId Random()
    {
        Span<byte> bytes = stackalloc byte[Length];
        RandomNumberGenerator.Fill(bytes);
        return FromBytes(bytes);
    }

    /// <summary>The XOR distance between this id and <paramref name="other"/>.</summary>
    public KadId Xor(KadId other) => new(_w0 ^ other._w0, _w1 ^ other._w1, _w2 ^ other._w2, _w3 ^ other._w3);

    /// <summary>Leading zero bits, 0..256.</summary>
    public int LeadingZeroCount()
    {
        if (_w0 != 0)
        {
            return BitOperations.LeadingZeroCount(_w0);
        }
        if (_w1 != 0)
        {
            return 64 + BitOperations.LeadingZeroCount(_w1);
        }
        if (_w2 != 0)
        {
            return 128 + BitOperations.LeadingZeroCount(_w2);
        }
        return 192 + BitOperations.LeadingZeroCount(_w3);
    }

    /// <summary>The number of leading bits this id shares with <paramref name="other"/>: 0..255, or 256 when equal.</summary>
    public int CommonPrefixLength(KadId other) => Xor(other).LeadingZeroCount();

    /// <summary>
    /// Compares the distances of <paramref name="a"/> and <paramref name="b"/> to this id (the target):
    /// negative when <paramref name="a"/> is closer, zero when equally close (a equals b), positive otherwise.
    /// </summary>
    public int CompareDistance(KadId a, KadId b)
    {
        var c = (a._w0 ^ _w0).CompareTo(b._w0 ^ _w0);
        if (c != 0)
        {
            return c;
        }
        c = (a._w1 ^ _w1).CompareTo(b._w1 ^ _w1);
        if (c != 0)
        {
            return c;
        }
        c = (a._w2 ^ _w2).CompareTo(b._w2 ^ _w2);
        return c != 0 ? c : (a._w3 ^ _w3).CompareTo(b._w3 ^ _w3);
    }

    /// <summary>True when <paramref name="a"/> is strictly closer to this id than <paramref name="b"/>.</summary>
    public bool IsCloser(KadId a, KadId b) => CompareDistance(a, b) < 0;

    /// <summary>The bit at <paramref name="index"/> (0 = most significant), 0 or 1.</summary>
    public int GetBit(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Bits);
        return (int)((Word(index >> 6) >> (63 - (index & 63))) & 1);
    }

    /// <summary>This id with the bit at <paramref name="index"/> (0 = most significant) inverted.</summary>
    public KadId FlipBit(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Bits);
        var mask = 1UL << (63 - (index & 63));
        return (index >> 6) switch
        {
            0 => new KadId(_w0 ^ mask, _w1, _w2, _w3),
            1 => new KadId(_w0, _w1 ^ mask, _w2, _w3),
            2 => new KadId(_w0, _w1, _w2 ^ mask, _w3),
            _ => new KadId(_w0, _w1, _w2, _w3 ^ mask),
        };
    }

    /// <summary>This id with its first <paramref name="prefixBits"/> bits taken from <paramref name="prefix"/>.</summary>
    public KadId WithPrefix(KadId prefix, int prefixBits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixBits, Bits);
        return new KadId(
            Blend(_w0, prefix._w0, prefixBits),
            Blend(_w1, prefix._w1, prefixBits - 64),
            Blend(_w2, prefix._w2, prefixBits - 128),
            Blend(_w3, prefix._w3, prefixBits - 192));
    }

    /// <summary>Writes the 32 bytes, most significant first.</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"need {Length} bytes", nameof(destination));
        }
        BinaryPrimitives.WriteUInt64BigEndian(destination, _w0);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _w1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _w2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _w3);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Unsigned big-endian order, which is also the order of distances from <see cref="Zero"/>.</summary>
    public int CompareTo(KadId other) => Zero.CompareDistance(this, other);

    public bool Equals(KadId other) => _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2 && _w3 == other._w3;

    public override bool Equals(object? obj) => obj is KadId other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_w0, _w1, _w2, _w3);

    /// <summary>Lower-case hex of the 32 bytes.</summary>
    public override string ToString() => Convert.ToHexStringLower(ToBytes());

    public static bool operator ==(KadId left, KadId right) => left.Equals(right);

    public static bool operator !=(KadId left, KadId right) => !left.Equals(right);

    public static bool operator <(KadId left, KadId right) => left.CompareTo(right) < 0;

    public static bool operator >(KadId left, KadId right) => left.CompareTo(right) > 0;

    public static bool operator <=(KadId left, KadId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(KadId left, KadId right) => left.CompareTo(right) >= 0;

    private ulong Word(int index) => index switch
    {
        0 => _w0,
        1 => _w1,
        2 => _w2,
        _ => _w3,
    };

    // Keeps the first `bits` bits (clamped to 0..64) of `prefix` and the rest of `word`.
    private static ulong Blend(ulong word, ulong prefix, int bits)
    {
        if (bits <= 0)
        {
            return word;
        }
        if (bits >= 64)
        {
            return prefix;
        }
        var mask = ulong.MaxValue << (64 - bits);
        return (prefix & mask) | (word & ~mask);
    }
}
