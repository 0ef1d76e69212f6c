using System.Globalization;
using System.Text.RegularExpressions;

namespace Dione.Benchmarks;

/// <summary>Byte counts written like the js interop scripts take them: 1048576, 64k, 256MiB, 1g (binary units).</summary>
internal static partial class ByteSize
{
    public static long Parse(string text, string name)
    {
        var match = SizePattern().Match(text.Trim());
        if (match.Success
            && long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            && UnitOf(match.Groups[2].Value.ToLowerInvariant()) is long unit
            && value <= long.MaxValue / unit)
        {
            return value * unit;
        }
        throw new UsageException($"{name} must be a byte count like 1048576, 64k or 256MiB, got '{text}'");
    }

    private static long? UnitOf(string suffix) => suffix switch
    {
        "" => 1,
        "k" or "kib" => 1L << 10,
        "m" or "mib" => 1L << 20,
        "g" or "gib" => 1L << 30,
        _ => null,
    };

    [GeneratedRegex(@"^(\d{1,18})\s*([a-zA-Z]*)$")]
    private static partial Regex SizePattern();
}
