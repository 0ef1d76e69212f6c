using System.Text;
using System.Text.RegularExpressions;

namespace Dione.Cli.Tests;

/// <summary>
/// A shell block of README.md marked <c>&lt;!-- README test: NAME … --&gt;</c>, as a user would paste it. A line's
/// comment after two spaces and <c>#</c> is the output it promises: some line of the output must match it, where
/// <c>…</c> stands for any text and every number for any number (times, counts and dates change between runs).
/// </summary>
public sealed partial class ReadmeExample
{
    private const string ExpectationMark = "  # ";

    private ReadmeExample(string name, IReadOnlyList<string> lines)
    {
        Name = name;
        Lines = lines;
    }

    public string Name { get; }

    /// <summary>The block's lines as README shows them.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>What the output must contain, one pattern for each line that promises an output.</summary>
    public IReadOnlyList<Regex> Expectations =>
        Lines.Select(ExpectationOf).OfType<string>().Select(ToPattern).ToList();

    /// <summary>The marked blocks of the README at <paramref name="readmePath"/>, in order.</summary>
    public static IReadOnlyList<ReadmeExample> ReadAll(string readmePath)
    {
        var examples = new List<ReadmeExample>();
        var lines = File.ReadAllLines(readmePath);
        for (var i = 0; i < lines.Length; i++)
        {
            var mark = MarkPattern().Match(lines[i]);
            if (!mark.Success)
            {
                continue;
            }
            if (i + 1 >= lines.Length || lines[i + 1] != "```sh")
            {
                throw new InvalidDataException($"README line {i + 1}: a README test mark must be followed by a ```sh block");
            }
            var end = Array.IndexOf(lines, "```", i + 2);
            if (end < 0)
            {
                throw new InvalidDataException($"README line {i + 2}: the block never ends");
            }
            examples.Add(new ReadmeExample(mark.Groups[1].Value, lines[(i + 2)..end]));
        }
        return examples;
    }

    /// <summary>
    /// The block as a bash script run with <c>set -e</c>: repos under <c>/tmp/</c> moved into
    /// <paramref name="root"/>, and the PID of every command the block sends to the background written to
    /// <paramref name="pidFile"/> so the test can stop it.
    /// </summary>
    public string ToScript(string root, string pidFile)
    {
        var script = new StringBuilder("set -e\n");
        foreach (var line in Lines)
        {
            var command = CommandOf(line);
            script.Append(TmpPath().Replace(command, m => Path.Combine(root, m.Groups[1].Value))).Append('\n');
            if (command.EndsWith('&'))
            {
                script.Append("echo $! >>").Append(pidFile).Append('\n');
            }
        }
        return script.ToString();
    }

    private static string CommandOf(string line)
    {
        var mark = line.IndexOf(ExpectationMark, StringComparison.Ordinal);
        return (mark < 0 ? line : line[..mark]).TrimEnd();
    }

    private static string? ExpectationOf(string line)
    {
        var mark = line.IndexOf(ExpectationMark, StringComparison.Ordinal);
        return mark < 0 ? null : line[(mark + ExpectationMark.Length)..].Trim();
    }

    private static Regex ToPattern(string expected) =>
        new(string.Join(".*", expected.Split('…').Select(part => Digits().Replace(Regex.Escape(part), @"\d+"))));

    [GeneratedRegex(@"^<!-- README test: (\w+)")]
    private static partial Regex MarkPattern();

    [GeneratedRegex(@"/tmp/(\w+)")]
    private static partial Regex TmpPath();

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
