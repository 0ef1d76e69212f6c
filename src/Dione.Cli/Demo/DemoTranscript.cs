using System.Diagnostics;
using System.Globalization;

namespace Dione.Cli.Demo;

/// <summary>The demo's running transcript: lines stamped with the seconds since the demo started, printed as they happen unless JSON was asked for.</summary>
internal sealed class DemoTranscript(TextWriter? output)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<string> _lines = [];

    /// <summary>Seconds since the demo started.</summary>
    public double Now => _clock.Elapsed.TotalSeconds;

    public IReadOnlyList<string> Lines => _lines;

    /// <summary>Adds a line stamped with the current time, e.g. <c>[  0.85s] alice → bob: Hello Bob</c>.</summary>
    public void Say(string text)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"[{Now,6:0.00}s] {text}");
        _lines.Add(line);
        output?.WriteLine(line);
    }

    /// <summary>Formats milliseconds for the transcript: whole milliseconds below ten seconds, else seconds.</summary>
    public static string Duration(double milliseconds) =>
        milliseconds < 10_000
            ? string.Create(CultureInfo.InvariantCulture, $"{milliseconds:0} ms")
            : string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000:0.0} s");
}
