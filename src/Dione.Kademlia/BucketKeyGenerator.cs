using System.Buffers.Binary;
using System.Security.Cryptography;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats;

namespace Dione.Kademlia;

/// <summary>
/// Random keys that land in a given bucket of a routing table, for bucket refresh.
/// </summary>
/// <remarks>
/// A refresh sends FIND_NODE with a peer-id-shaped key, and the remote hashes that key: so the key must be a binary
/// peer id whose SHA-256 shares exactly <c>cpl</c> leading bits with our id. SHA-256 cannot be inverted, so the id is
/// found either from a precomputed table (<see cref="PeerIdInBucket"/>, cpl 0..15, no hashing: as go-libp2p-kbucket,
/// which therefore refreshes only cpl 0..15, <see cref="MaxRefreshableCpl"/>), or by trial
/// (<see cref="TryRandomPeerIdInBucket"/>, any cpl): a sha2-256 multihash (<c>0x12 0x20</c> + 32 bytes) whose digest
/// bytes are random, varied by a counter, is hashed until its id falls in the bucket. A try succeeds with probability
/// 2^-(cpl+1), so bucket <c>cpl</c> needs 2^(cpl+1) hashes on average: about 65,536 for cpl 15; the search is bounded
/// by <see cref="DefaultMaxTries"/> hashes, which makes cpl above ~19 impractical (they are covered by the self-lookup).
/// </remarks>
public static class BucketKeyGenerator
{
    /// <summary>The highest bucket refreshed with a random peer id, as in go-libp2p-kbucket.</summary>
    public const int MaxRefreshableCpl = 15;

    /// <summary>Default bound on hashes tried by <see cref="TryRandomPeerIdInBucket"/>.</summary>
    public const int DefaultMaxTries = 1 << 20;

    private const int MultihashLength = 2 + Multihash.Sha256Length;

    /// <summary>
    /// A random id whose common prefix length with <paramref name="local"/> is exactly <paramref name="cpl"/>:
    /// the first <paramref name="cpl"/> bits of <paramref name="local"/>, then the opposite of its next bit, then random bits.
    /// </summary>
    public static KadId RandomIdInBucket(KadId local, int cpl)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cpl);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cpl, KadId.Bits);
        return KadId.Random().WithPrefix(local.FlipBit(cpl), cpl + 1);
    }

    /// <summary>
    /// A peer id whose <see cref="KadId"/> has common prefix length exactly <paramref name="cpl"/> (at most
    /// <see cref="MaxRefreshableCpl"/>) with <paramref name="local"/>, taken from the precomputed prefix table as go does:
    /// the first <paramref name="cpl"/> bits of our id's 16-bit prefix, the next one flipped, the rest random
    /// (<paramref name="random"/>, or a cryptographic source). Bucket <c>cpl</c> has 2^(15-cpl) such ids.
    /// </summary>
    public static PeerId PeerIdInBucket(KadId local, int cpl, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cpl);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cpl, MaxRefreshableCpl);
        Span<byte> id = stackalloc byte[KadId.Length];
        local.WriteTo(id);
        var localPrefix = BinaryPrimitives.ReadUInt16BigEndian(id);
        var toggled = localPrefix ^ (0x8000 >> cpl);
        var mask = (0xFFFF << (BucketPrefixTable.PrefixBits - (cpl + 1))) & 0xFFFF;
        var randomBits = random?.Next(1 << BucketPrefixTable.PrefixBits) ?? RandomNumberGenerator.GetInt32(1 << BucketPrefixTable.PrefixBits);
        var prefix = (toggled & mask) | (randomBits & ~mask & 0xFFFF);
        return PeerId.FromBytes(BucketPrefixTable.PeerIdBytes(BucketPrefixTable.CounterFor(prefix)));
    }

    /// <summary>
    /// Searches, with at most <paramref name="maxTries"/> SHA-256 computations, for a sha2-256 peer id whose
    /// <see cref="KadId"/> has common prefix length <paramref name="cpl"/> with <paramref name="local"/>.
    /// </summary>
    /// <returns>False when the bound ran out (likely for cpl above ~19 with the default bound).</returns>
    public static bool TryRandomPeerIdInBucket(KadId local, int cpl, out PeerId? peerId, int maxTries = DefaultMaxTries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cpl);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cpl, KadId.Bits);
        ArgumentOutOfRangeException.ThrowIfNegative(maxTries);
        Span<byte> candidate = stackalloc byte[MultihashLength];
        Span<byte> hash = stackalloc byte[KadId.Length];
        candidate[0] = (byte)MultihashCode.Sha2_256;
        candidate[1] = Multihash.Sha256Length;
        RandomNumberGenerator.Fill(candidate[2..]);
        var counter = candidate.Slice(2, sizeof(uint));
        var start = BinaryPrimitives.ReadUInt32BigEndian(counter);
        for (var i = 0; i < maxTries; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(counter, unchecked(start + (uint)i));
            SHA256.HashData(candidate, hash);
            if (KadId.FromBytes(hash).CommonPrefixLength(local) == cpl)
            {
                peerId = PeerId.FromBytes(candidate);
                return true;
            }
        }
        peerId = null;
        return false;
    }
}
