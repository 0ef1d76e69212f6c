namespace Dione.Messaging.X3dh;

/// <summary>
/// What a sender accepts in a bundle besides valid keys and signatures: a signed prekey younger than the owner's
/// <see cref="PrekeyPolicy.MaxSignedPrekeyAge"/> (the age at which the owner may delete it: one source for both sides)
/// and created at most <see cref="MaxClockSkew"/> in the future (default 1 day of clock difference).
/// </summary>
public sealed record PrekeyBundleOptions
{
    public static PrekeyBundleOptions Default { get; } = new();

    /// <summary>The prekey policy the owner follows (Dione's default unless both sides agreed on another).</summary>
    public PrekeyPolicy OwnerPolicy { get; init; } = PrekeyPolicy.Default;

    public TimeSpan MaxSignedPrekeyAge => OwnerPolicy.MaxSignedPrekeyAge;

    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromDays(1);
}
