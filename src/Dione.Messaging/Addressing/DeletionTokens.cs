using System.Security.Cryptography;

namespace Dione.Messaging.Addressing;

/// <summary>
/// Authenticated deletion: an envelope carries SHA-256(token); the token itself comes from the message key
/// (<see cref="Ratchet.RatchetKdf.ExpandMessageKey"/>), so only the two session parties can present it to a store.
/// </summary>
public static class DeletionTokens
{
    /// <summary>Length of a token and of its hash.</summary>
    public const int Length = 32;

    /// <summary>The deletion hash an envelope carries: SHA-256(token).</summary>
    public static byte[] Hash(ReadOnlySpan<byte> token)
    {
        if (token.Length != Length)
        {
            throw new ArgumentException($"a deletion token is {Length} bytes", nameof(token));
        }
        return SHA256.HashData(token);
    }

    /// <summary>Whether <paramref name="token"/> deletes an envelope carrying <paramref name="deletionHash"/> (constant-time compare).</summary>
    public static bool Matches(ReadOnlySpan<byte> token, ReadOnlySpan<byte> deletionHash) =>
        token.Length == Length && deletionHash.Length == Length && CryptographicOperations.FixedTimeEquals(SHA256.HashData(token), deletionHash);
}
