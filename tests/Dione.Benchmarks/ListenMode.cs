using System.Text.Json.Nodes;
using Dione.Libp2p.Host;

namespace Dione.Benchmarks;

/// <summary>
/// <c>listen</c> (alias <c>perf-server</c>): a stock host serving perf, ping and identify on 127.0.0.1 until
/// SIGTERM or SIGINT. Prints <c>{"event":"ready","peerId":…,"addrs":[…]}</c>, then a summary when it stops.
/// </summary>
internal static class ListenMode
{
    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var listen = arguments.Text("listen", "/ip4/127.0.0.1/tcp/0");
        var lifetime = TimeSpan.FromSeconds(arguments.Number("lifetime-seconds", 900));
        arguments.RejectUnknownOptions();

        using var shutdown = new ShutdownSignal(lifetime);
        await using var node = await BenchmarkHosts.StartListenerAsync(listen, CancellationToken.None).ConfigureAwait(false);
        var host = node.Host;
        var connections = 0;
        host.Connected += (_, _) => Interlocked.Increment(ref connections);
        JsonLine.Write(new JsonObject
        {
            ["event"] = "ready",
            ["peerId"] = host.PeerId.ToString(),
            ["addrs"] = new JsonArray([.. host.ListenAddresses.Select(a => (JsonNode)a.WithPeerId(host.PeerId).ToString())]),
            ["protocols"] = new JsonArray([.. host.Protocols.Select(p => (JsonNode)p)]),
        });
        var reason = await shutdown.Stopped.ConfigureAwait(false);
        Diagnostics.Log($"listener stopping ({reason})");
        JsonLine.Write(new JsonObject
        {
            ["event"] = "stopped",
            ["reason"] = reason,
            ["connectionsAccepted"] = Volatile.Read(ref connections),
        });
        return 0;
    }
}
