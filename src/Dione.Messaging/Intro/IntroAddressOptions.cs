namespace Dione.Messaging.Intro;

/// <summary>
/// Intro address parameters; sender and recipient must agree on them (they are protocol constants, not preferences):
/// periods of <see cref="PeriodLength"/> (default 1 day, counted from the Unix epoch) and <see cref="SlotsPerPeriod"/>
/// addresses per period (default 16), one of which a sender picks at random.
/// </summary>
public sealed record IntroAddressOptions
{
    public static IntroAddressOptions Default { get; } = new();

    public TimeSpan PeriodLength { get; init; } = TimeSpan.FromDays(1);

    public int SlotsPerPeriod { get; init; } = 16;
}
