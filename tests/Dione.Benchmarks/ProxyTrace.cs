using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Dione.Benchmarks;

/// <summary>
/// What a <see cref="DelayingProxy"/> saw on its connections: every read and every delivery, in milliseconds since the
/// connection was accepted. Between a delivery to one side and that side's next read lies that side's own time.
/// </summary>
internal sealed class ProxyTrace
{
    private readonly ConcurrentQueue<(int Connection, double Ms, string Event)> _events = new();

    public void Record(int connection, long acceptedAt, string what) =>
        _events.Enqueue((connection, Stopwatch.GetElapsedTime(acceptedAt).TotalMilliseconds, what));

    /// <summary>The events of one connection, in order, as JSON strings like <c>"41.2 read dialer→listener 213 B"</c>.</summary>
    public JsonArray ToJson(int connection) =>
        [.. _events.Where(e => e.Connection == connection).OrderBy(e => e.Ms).Select(e => (JsonNode)$"{e.Ms:F1} {e.Event}")];
}
