using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Dione.Benchmarks;

/// <summary>
/// <c>setups ADDR [N]</c>: N sequential full connection setups (see <see cref="ConnectionSetup"/>) against ADDR,
/// after a few unmeasured warm-up setups; reports setups per second over the whole run, closes included,
/// and where the time of a median setup goes (<c>medianMs</c> is to the first echo byte, as in the js check).
/// </summary>
internal static class SetupsMode
{
    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var (address, _) = BenchmarkHosts.ParseTarget(arguments.Positional(1, "target multiaddr"));
        var countText = arguments.Positional(2);
        var count = countText is null ? arguments.Count("setups", 200) : ParseCount(countText);
        var warmup = arguments.Count("warmup", 10, minimum: 0);
        var timeout = TimeSpan.FromSeconds(arguments.Number("timeout-seconds", 120));
        arguments.RejectUnknownOptions();

        using var limit = new CancellationTokenSource(timeout);
        var cancellationToken = limit.Token;
        await using var node = await BenchmarkHosts.StartDialerAsync(cancellationToken).ConfigureAwait(false);
        var host = node.Host;
        for (var i = 0; i < warmup; i++)
        {
            await ConnectionSetup.RunAsync(host, address, cancellationToken).ConfigureAwait(false);
        }
        var timings = new List<SetupTiming>(count);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            try
            {
                timings.Add(await ConnectionSetup.RunAsync(host, address, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new IOException($"setup {i + 1}/{count} failed: {e.Message}", e);
            }
        }
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var connected = timings.Select(t => t.ConnectedMs).ToList();
        var firstByte = timings.Select(t => t.FirstByteMs).ToList();
        JsonLine.Write(new JsonObject
        {
            ["mode"] = "setups",
            ["target"] = address.ToString(),
            ["setups"] = count,
            ["warmup"] = warmup,
            ["seconds"] = JsonLine.Round(seconds),
            ["setupsPerSecond"] = JsonLine.Round(count / seconds, 2),
            ["medianMs"] = JsonLine.Round(Statistics.Median(firstByte)),
            ["maxMs"] = JsonLine.Round(firstByte.Max()),
            ["medianConnectedMs"] = JsonLine.Round(Statistics.Median(connected)),
            ["medianFirstByteAfterConnectMs"] = JsonLine.Round(Statistics.Median([.. timings.Select(t => t.FirstByteMs - t.ConnectedMs)])),
            ["medianCloseMs"] = JsonLine.Round(Statistics.Median([.. timings.Select(t => t.ClosedMs - t.FirstByteMs)])),
        });
        return 0;
    }

    private static int ParseCount(string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) && count > 0
            ? count
            : throw new UsageException($"the setup count must be a positive integer, got '{text}'");
}
