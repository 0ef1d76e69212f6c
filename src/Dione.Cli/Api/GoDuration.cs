using System.Globalization;

namespace Dione.Cli.Api;

/// <summary>Formats a duration as Go's <c>time.Duration.String()</c> does ("850µs", "1.5ms", "2m3.5s"), as kubo prints latencies.</summary>
public static class GoDuration
{
    private const long NanosecondsPerMicrosecond = 1_000;
    private const long NanosecondsPerMillisecond = 1_000_000;
    private const long NanosecondsPerSecond = 1_000_000_000;

    public static long ToNanoseconds(TimeSpan duration) => duration.Ticks * 100;

    public static string Format(TimeSpan duration)
    {
        var nanoseconds = ToNanoseconds(duration);
        if (nanoseconds == 0)
        {
            return "0s";
        }
        var sign = nanoseconds < 0 ? "-" : "";
        var magnitude = Math.Abs(nanoseconds);
        if (magnitude < NanosecondsPerMicrosecond)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{sign}{magnitude}ns");
        }
        if (magnitude < NanosecondsPerMillisecond)
        {
            return sign + Fraction(magnitude, NanosecondsPerMicrosecond) + "µs";
        }
        if (magnitude < NanosecondsPerSecond)
        {
            return sign + Fraction(magnitude, NanosecondsPerMillisecond) + "ms";
        }
        var hours = magnitude / (3600 * NanosecondsPerSecond);
        var minutes = magnitude / (60 * NanosecondsPerSecond) % 60;
        var seconds = Fraction(magnitude % (60 * NanosecondsPerSecond), NanosecondsPerSecond) + "s";
        return hours > 0 ? string.Create(CultureInfo.InvariantCulture, $"{sign}{hours}h{minutes}m{seconds}")
            : minutes > 0 ? string.Create(CultureInfo.InvariantCulture, $"{sign}{minutes}m{seconds}")
            : sign + seconds;
    }

    private static string Fraction(long value, long unit)
    {
        var whole = (value / unit).ToString(CultureInfo.InvariantCulture);
        var rest = value % unit;
        if (rest == 0)
        {
            return whole;
        }
        var digits = unit.ToString(CultureInfo.InvariantCulture).Length - 1;
        return whole + "." + rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
    }
}
