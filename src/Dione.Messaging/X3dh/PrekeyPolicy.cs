namespace Dione.Messaging.X3dh;

/// <summary>
/// How a recipient manages its prekeys. Defaults: a new signed prekey every 7 days; a replaced one is kept 14 days (it must
/// outlive every intro envelope made from a bundle fetched before the rotation, so keep it at least the intro lifetime);
/// at most 10,000 remembered ephemeral keys per signed prekey (rotation becomes due when that fills); at most 1,000 one-time
/// prekeys held.
/// </summary>
public sealed record PrekeyPolicy
{
    public static PrekeyPolicy Default { get; } = new();

    public TimeSpan RotationInterval { get; init; } = TimeSpan.FromDays(7);

    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromDays(14);

    /// <summary>
    /// The one limit both sides use: a sender refuses a signed prekey this old or older (<see cref="PrekeyBundleVerifier"/>),
    /// and the owner never deletes a younger one (<see cref="PrekeyStore.PruneExpired"/>). It is how long a key rotated on
    /// schedule lives: <see cref="RotationInterval"/> + <see cref="GracePeriod"/> (21 days by default).
    /// </summary>
    public TimeSpan MaxSignedPrekeyAge => RotationInterval + GracePeriod;

    public int MaxRememberedEphemeralKeys { get; init; } = 10_000;

    public int MaxOneTimePrekeys { get; init; } = 1_000;
}
