using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Dione.Messaging.Identity;

namespace Dione.Messenger.Conversations;

/// <summary>
/// Where a Dione identity publishes its prekeys: per week (the signed prekey's rotation period) a few slots,
/// address = HMAC-SHA-256(key = SHA-256("Dione_Prekeys_v1" ‖ Encode(IK)), data = week (u64 BE) ‖ slot (u16 BE)).
/// Anyone who knows the identity's Dione address can compute them; only the owner can delete what is stored there,
/// because each publication's deletion token is random and kept in the owner's database.
/// </summary>
/// <remarks>
/// Stores keep the first envelope put under an address, so a stranger who knows the address could occupy a slot
/// first. Several slots per week make that costlier, and a sender accepts only a publication signed by the identity
/// it expects; a determined attacker with enough quota at the holders can still deny publication (see docs/protocol.md).
/// </remarks>
public static class PrekeyAddresses
{
    public const string Label = "Dione_Prekeys_v1";

    /// <summary>The publication period: one week.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromDays(7);

    /// <summary>Slots per period.</summary>
    public const int Slots = 4;

    public static ulong PeriodAt(DateTimeOffset time) => (ulong)Math.Max(0, time.ToUnixTimeSeconds() / (long)Period.TotalSeconds);

    /// <summary>The address of <paramref name="identity"/>'s publication for a period and slot.</summary>
    public static byte[] Compute(IdentityKey identity, ulong period, int slot)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, Slots);
        var key = SHA256.HashData([.. Encoding.ASCII.GetBytes(Label), .. identity.Encode()]);
        Span<byte> data = stackalloc byte[10];
        BinaryPrimitives.WriteUInt64BigEndian(data, period);
        BinaryPrimitives.WriteUInt16BigEndian(data[8..], (ushort)slot);
        return HMACSHA256.HashData(key, data);
    }

    /// <summary>
    /// Every address a sender looks at, with the period it belongs to (a publication found there must be signed for that
    /// period): all slots of the current period, then of the previous one.
    /// </summary>
    public static IReadOnlyList<(ulong Period, byte[] Address)> ToFetch(IdentityKey identity, DateTimeOffset now)
    {
        var current = PeriodAt(now);
        var periods = current == 0 ? new[] { current } : [current, current - 1];
        return [.. periods.SelectMany(p => Enumerable.Range(0, Slots).Select(s => (p, Compute(identity, p, s))))];
    }

    /// <summary>When the publication of <paramref name="period"/> may be dropped: a period after it ends.</summary>
    public static DateTimeOffset ExpiryOf(ulong period) =>
        DateTimeOffset.FromUnixTimeSeconds((long)((period + 2) * (ulong)Period.TotalSeconds));
}
