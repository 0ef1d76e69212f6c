using System.Globalization;

namespace Dione.Benchmarks;

/// <summary>
/// Command-line arguments of one mode: positionals in order and <c>--name value</c> options.
/// </summary>
internal sealed class BenchmarkArguments
{
    private readonly List<string> _positionals = [];
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public BenchmarkArguments(IEnumerable<string> arguments)
    {
        using var items = arguments.GetEnumerator();
        while (items.MoveNext())
        {
            var item = items.Current;
            if (!item.StartsWith("--", StringComparison.Ordinal))
            {
                _positionals.Add(item);
                continue;
            }
            if (!items.MoveNext())
            {
                throw new UsageException($"option {item} needs a value");
            }
            _options[item[2..]] = items.Current;
        }
    }

    public string Positional(int index, string name) =>
        index < _positionals.Count ? _positionals[index] : throw new UsageException($"missing {name}");

    public string? Positional(int index) => index < _positionals.Count ? _positionals[index] : null;

    public string Text(string name, string fallback)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out var value) ? value : fallback;
    }

    public long Bytes(string name, long fallback)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out var value) ? ByteSize.Parse(value, "--" + name) : fallback;
    }

    public int Count(string name, int fallback, int minimum = 1)
    {
        _used.Add(name);
        if (!_options.TryGetValue(name, out var value))
        {
            return fallback;
        }
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= minimum
            ? count
            : throw new UsageException($"--{name} must be an integer of at least {minimum}, got '{value}'");
    }

    public double Number(string name, double fallback)
    {
        _used.Add(name);
        if (!_options.TryGetValue(name, out var value))
        {
            return fallback;
        }
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= 0 && double.IsFinite(number)
            ? number
            : throw new UsageException($"--{name} must be a non-negative number, got '{value}'");
    }

    /// <summary>Fails on options the mode did not ask for (call after reading them all).</summary>
    public void RejectUnknownOptions()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"unknown option(s): {string.Join(", ", unknown.Select(k => "--" + k))}");
        }
    }
}
