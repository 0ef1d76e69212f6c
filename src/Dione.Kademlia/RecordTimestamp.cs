using System.Globalization;

namespace Dione.Kademlia;

/// <summary>
/// The <c>Record.timeReceived</c> text: RFC 3339 in UTC with fractional seconds and no trailing zeros, as go's
/// <c>time.RFC3339Nano</c> writes it (e.g. <c>2024-05-01T12:00:00.1234567Z</c>; .NET keeps 100 ns, go 1 ns).
/// </summary>
public static class RecordTimestamp
{
    private const string WriteFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString(WriteFormat, CultureInfo.InvariantCulture);

    /// <summary>Parses an RFC 3339 time stamp (any offset, up to nanosecond digits); false for anything else.</summary>
    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        time = default;
        if (string.IsNullOrEmpty(text) || text.Length > 64)
        {
            return false;
        }
        // .NET parses at most 7 fractional digits: drop go's 8th and 9th (sub-100 ns) before parsing.
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }
            if (end == dot + 1)
            {
                return false;
            }
            if (end - dot - 1 > 7)
            {
                text = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
            }
        }
        return DateTimeOffset.TryParseExact(
            text,
            ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"],
            CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal,
            out time);
    }
}
