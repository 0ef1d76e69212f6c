using Dione.Messaging.Addressing;
using Dione.Messaging.Ratchet;

namespace Dione.Messaging.Sessions;

/// <summary>
/// Per-session limits and labels. They are stored with the session state, so a restored session behaves exactly as
/// before. <see cref="RatchetInfo"/> must be the same on both sides; the others are local policy.
/// </summary>
public sealed record SessionOptions
{
    /// <summary>Signal's MAX_SKIP: the most message keys one received message may make the receiver skip in one chain.</summary>
    public int MaxSkip { get; init; } = 1000;

    /// <summary>The most skipped message keys (with their pending addresses) kept across all chains; the oldest are evicted.</summary>
    public int MaxSkippedKeys { get; init; } = 2000;

    /// <summary>W: how many addresses ahead the receiver watches in its current chain and in the peer's next chain.</summary>
    public int AddressWindow { get; init; } = 8;

    /// <summary>How long stores keep an envelope this session sends (its <c>expires_unix_seconds</c> is send time plus this).</summary>
    public TimeSpan EnvelopeLifetime { get; init; } = TimeSpan.FromDays(14);

    /// <summary>How long a skipped key and its pending address are kept (from the moment the key was skipped).</summary>
    public TimeSpan SkippedKeyLifetime { get; init; } = TimeSpan.FromDays(14);

    /// <summary>The <c>info</c> of KDF_RK_HE.</summary>
    public string RatchetInfo { get; init; } = RatchetKdf.DefaultRatchetInfo;

    /// <summary>The defaults above.</summary>
    public static SessionOptions Default { get; } = new();

    /// <exception cref="ArgumentException">a limit out of range, or an info string that collides with Dione's own labels.</exception>
    public void Validate()
    {
        if (MaxSkip < 1 || MaxSkip > 100_000)
        {
            throw new ArgumentException("MaxSkip must be in 1..100000");
        }
        if (MaxSkippedKeys < 1 || MaxSkippedKeys > 1_000_000)
        {
            throw new ArgumentException("MaxSkippedKeys must be in 1..1000000");
        }
        if (AddressWindow < 1 || AddressWindow > MaxSkip)
        {
            throw new ArgumentException("AddressWindow must be in 1..MaxSkip (a message in the window never exceeds MAX_SKIP)");
        }
        if (EnvelopeLifetime < TimeSpan.FromSeconds(1) || SkippedKeyLifetime < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException("lifetimes must be at least one second");
        }
        if (string.IsNullOrEmpty(RatchetInfo) || RatchetInfo.Length > 256 || RatchetInfo is AddressChain.SeedInfo or AddressChain.InitialSeedInfo
            or RatchetKdf.MessageKeyInfo or RatchetKdf.DeletionTokenInfo)
        {
            throw new ArgumentException("RatchetInfo must be a non-empty string (at most 256 characters) distinct from Dione's other labels");
        }
    }
}
