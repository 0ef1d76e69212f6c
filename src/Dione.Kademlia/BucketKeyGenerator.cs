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
/// found by trial: a sha2-256 multihash (<c>0x12 0x20</c> + 32 bytes) whose digest bytes are random, varied by a
/// counter, is hashed until its id falls in the bucket. A try succeeds with probability 2^-(cpl+1), so bucket
/// <c>cpl</c> needs 2^(cpl+1) hashes on average: about 65,536 for cpl 15 (a few milliseconds). go-libp2p-kbucket
/// reaches the same ids through a precomputed table of 2^16 prefixes and therefore refreshes only cpl 0..15
/// (<see cref="MaxRefreshableCpl"/>); we search with a bound of <see cref="DefaultMaxTries"/> hashes, which fails
/// for cpl 15 with probability about e^-16 and makes cpl above ~19 impractical (they are covered by the self-lookup).
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
