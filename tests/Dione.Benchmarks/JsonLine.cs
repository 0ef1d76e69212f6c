using System.Text.Json.Nodes;

namespace Dione.Benchmarks;

/// <summary>Writes one JSON object per line on stdout, the format the bench script parses.</summary>
internal static class JsonLine
{
    /// <remarks><see cref="Console.Out"/> is synchronized, so lines from concurrent tasks never interleave.</remarks>
    public static void Write(JsonObject line)
    {
        Console.Out.WriteLine(line.ToJsonString());
        Console.Out.Flush();
    }

    /// <summary>Rounds for printing: enough digits to compare, few enough to read.</summary>
    public static double Round(double value, int digits = 3) => Math.Round(value, digits, MidpointRounding.AwayFromZero);
}
