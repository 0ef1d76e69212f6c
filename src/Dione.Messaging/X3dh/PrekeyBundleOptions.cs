namespace Dione.Messaging.X3dh;

/// <summary>
/// What a sender accepts in a bundle besides valid keys and signatures: a signed prekey at most
/// <see cref="MaxSignedPrekeyAge"/> old (default 60 days: its owner has not rotated for that long, so it is probably gone)
/// and created at most <see cref="MaxClockSkew"/> in the future (default 1 day of clock difference).
/// </summary>
public sealed record PrekeyBundleOptions
{
    public static PrekeyBundleOptions Default { get; } = new();

    public TimeSpan MaxSignedPrekeyAge { get; init; } = TimeSpan.FromDays(60);

    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromDays(1);
}
