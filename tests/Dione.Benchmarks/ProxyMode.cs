using System.Text.Json.Nodes;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Benchmarks;

/// <summary>
/// <c>proxy TARGET</c>: a <see cref="DelayingProxy"/> in front of TARGET (<c>/ip4/127.0.0.1/tcp/N</c>, a trailing
/// <c>/p2p/</c> is ignored) until SIGTERM or SIGINT, for measuring other implementations through the same delay.
/// Prints <c>{"event":"ready","addr":"/ip4/127.0.0.1/tcp/P",…}</c>, and when stopped the <see cref="ProxyTrace"/> of
/// every relayed connection.
/// </summary>
internal static class ProxyMode
{
    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var targetText = arguments.Positional(1, "target multiaddr");
        var delay = TimeSpan.FromMilliseconds(arguments.Number("delay-ms", 20));
        var lifetime = TimeSpan.FromSeconds(arguments.Number("lifetime-seconds", 900));
        arguments.RejectUnknownOptions();
        if (!Multiaddress.TryParse(targetText, out var target) || target?.ToTcpEndPoint() is not { } endPoint)
        {
            throw new UsageException($"the proxy target must be an /ip4|ip6/…/tcp/… multiaddr, got '{targetText}'");
        }

        using var shutdown = new ShutdownSignal(lifetime);
        var trace = new ProxyTrace();
        await using var proxy = new DelayingProxy(endPoint, delay, trace);
        proxy.Start();
        JsonLine.Write(new JsonObject
        {
            ["event"] = "ready",
            ["addr"] = Multiaddress.FromTcpEndPoint(proxy.LocalEndPoint).ToString(),
            ["target"] = target.ToString(),
            ["oneWayDelayMs"] = delay.TotalMilliseconds,
        });
        var reason = await shutdown.Stopped.ConfigureAwait(false);
        Diagnostics.Log($"proxy stopping ({reason})");
        for (var connection = 1; connection <= proxy.ConnectionsRelayed; connection++)
        {
            JsonLine.Write(new JsonObject { ["event"] = "trace", ["connection"] = connection, ["events"] = trace.ToJson(connection) });
        }
        JsonLine.Write(new JsonObject { ["event"] = "stopped", ["reason"] = reason, ["connectionsRelayed"] = proxy.ConnectionsRelayed });
        return 0;
    }
}
