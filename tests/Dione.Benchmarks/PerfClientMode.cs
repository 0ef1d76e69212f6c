using System.Diagnostics;
using System.Text.Json.Nodes;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;

namespace Dione.Benchmarks;

/// <summary>
/// <c>perf-client ADDR</c>: a C# host runs <c>/perf/1.0.0</c> against ADDR like the js dialer's <c>perf</c> check:
/// an upload run (send N, ask for 0), then a download run (send 0, ask for N), each on its own stream and timed
/// from opening the stream to the server's close. A small warm-up run first keeps JIT tiering out of the figures.
/// </summary>
internal static class PerfClientMode
{
    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var (address, peer) = BenchmarkHosts.ParseTarget(arguments.Positional(1, "target multiaddr"));
        var upload = arguments.Bytes("upload-bytes", 256L << 20);
        var download = arguments.Bytes("download-bytes", 256L << 20);
        var warmup = arguments.Bytes("warmup-bytes", 64L << 20);
        var timeout = TimeSpan.FromSeconds(arguments.Number("timeout-seconds", 120));
        arguments.RejectUnknownOptions();

        using var limit = new CancellationTokenSource(timeout);
        var cancellationToken = limit.Token;
        await using var node = await BenchmarkHosts.StartDialerAsync(cancellationToken).ConfigureAwait(false);
        var host = node.Host;
        var connectStarted = Stopwatch.GetTimestamp();
        await host.DialAsync(address, cancellationToken).ConfigureAwait(false);
        var connectMs = Stopwatch.GetElapsedTime(connectStarted).TotalMilliseconds;
        if (warmup > 0)
        {
            await host.Perf.RunAsync(peer, (ulong)warmup, (ulong)warmup, cancellationToken).ConfigureAwait(false);
        }
        var result = new JsonObject
        {
            ["mode"] = "perf-client",
            ["target"] = address.ToString(),
            ["connectMs"] = JsonLine.Round(connectMs),
            ["warmupBytes"] = warmup,
        };
        if (upload > 0)
        {
            result["upload"] = await TimedRunAsync(host, peer, upload, 0, cancellationToken).ConfigureAwait(false);
        }
        if (download > 0)
        {
            result["download"] = await TimedRunAsync(host, peer, 0, download, cancellationToken).ConfigureAwait(false);
        }
        JsonLine.Write(result);
        return 0;
    }

    private static async Task<JsonObject> TimedRunAsync(Libp2pHost host, PeerId peer, long upload, long download, CancellationToken cancellationToken)
    {
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var gen0Before = GC.CollectionCount(0);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var started = Stopwatch.GetTimestamp();
        var run = await host.Perf.RunAsync(peer, (ulong)upload, (ulong)download, cancellationToken).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        return new JsonObject
        {
            ["uploadBytes"] = upload,
            ["downloadBytes"] = download,
            ["seconds"] = JsonLine.Round(seconds, 6),
            ["bytesPerSecond"] = Math.Round((upload + download) / seconds),
            ["perfUploadSeconds"] = JsonLine.Round(run.UploadTime.TotalSeconds, 6),
            ["perfDownloadSeconds"] = JsonLine.Round(run.DownloadTime.TotalSeconds, 6),
            // This process only (the peer's share is not seen from here): CPU per byte tells cost apart from contention.
            ["clientCpuSeconds"] = JsonLine.Round(cpuSeconds),
            ["clientCpuNsPerByte"] = JsonLine.Round(cpuSeconds * 1e9 / (upload + download)),
            ["clientAllocatedBytes"] = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore,
            ["clientGen0Collections"] = GC.CollectionCount(0) - gen0Before,
        };
    }
}
