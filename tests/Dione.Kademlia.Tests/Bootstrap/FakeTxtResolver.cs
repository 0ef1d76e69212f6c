using System.Collections.Concurrent;
using Dione.Kademlia.Bootstrap;

namespace Dione.Kademlia.Tests.Bootstrap;

/// <summary>An in-memory <see cref="ITxtResolver"/>: fixed records per name, failures per name, and optional hanging names.</summary>
internal sealed class FakeTxtResolver : ITxtResolver
{
    private readonly Dictionary<string, string[]> _records = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Exception> _failures = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _hanging = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentQueue<string> Queries { get; } = new();

    public FakeTxtResolver Add(string name, params string[] records)
    {
        _records[name] = records;
        return this;
    }

    public FakeTxtResolver Fail(string name, Exception exception)
    {
        _failures[name] = exception;
        return this;
    }

    /// <summary>Lookups of this name never answer; they end only when their token is cancelled.</summary>
    public FakeTxtResolver Hang(string name)
    {
        _hanging.Add(name);
        return this;
    }

    public async Task<IReadOnlyList<string>> ResolveTxtAsync(string name, CancellationToken cancellationToken)
    {
        Queries.Enqueue(name);
        if (_hanging.Contains(name))
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        if (_failures.TryGetValue(name, out var failure))
        {
            throw failure;
        }
        return _records.TryGetValue(name, out var records) ? records : [];
    }
}
