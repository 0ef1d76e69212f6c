using System.Globalization;
using System.Text.RegularExpressions;

namespace Dione.Cli.Commands;

/// <summary>Reads a duration written as Go's <c>time.ParseDuration</c> takes it ("500ms", "2s", "1m30s", "1.5h").</summary>
public static partial class DurationText
{
    private const int MaxLength = 64;

    /// <exception cref="CliException">not a duration of that form, or not positive.</exception>
    public static TimeSpan Parse(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Length <= MaxLength ? Component().Matches(text) : null;
        if (parts is null || parts.Count == 0 || parts.Sum(p => p.Length) != text.Length)
        {
            throw new CliException($"invalid {what} '{text}': expected a duration such as 500ms, 2s or 1m30s");
        }
        var total = TimeSpan.Zero;
        foreach (Match part in parts)
        {
            var value = double.Parse(part.Groups["value"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            total += part.Groups["unit"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                _ => TimeSpan.FromHours(value),
            };
        }
        return total > TimeSpan.Zero ? total : throw new CliException($"invalid {what} '{text}': it must be longer than zero");
    }

    [GeneratedRegex(@"(?<value>[0-9]{1,9}(\.[0-9]{1,9})?)(?<unit>ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex Component();
}
