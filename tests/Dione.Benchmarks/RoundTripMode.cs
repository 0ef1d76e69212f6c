using System.Text.Json.Nodes;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Benchmarks;

/// <summary>
/// <c>rtt</c>: round trips from starting the TCP connect to the first byte of the first stream's response.
/// In this process: a C# listener, a <see cref="DelayingProxy"/> in front of it (one-way delay d, RTT 2d) and a C#
/// dialer doing <see cref="ConnectionSetup"/> through the proxy. Reports the median time over the trials divided by
/// the RTT, nothing subtracted, and the same for the moment the connection was ready; plus what a plain TCP echo
/// through the same proxy takes (ideally 2 RTT), to tell the proxy's own slack from the host's, and what the proxy
/// saw during the median trial (<see cref="ProxyTrace"/>).
/// </summary>
internal static class RoundTripMode
{
    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var delay = TimeSpan.FromMilliseconds(arguments.Number("delay-ms", 20));
        var trials = arguments.Count("trials", 5);
        var warmup = arguments.Count("warmup", 3, minimum: 0);
        var timeout = TimeSpan.FromSeconds(arguments.Number("timeout-seconds", 60));
        arguments.RejectUnknownOptions();
        if (delay <= TimeSpan.Zero)
        {
            throw new UsageException("--delay-ms must be positive");
        }

        using var limit = new CancellationTokenSource(timeout);
        var cancellationToken = limit.Token;
        await using var listenerNode = await BenchmarkHosts.StartListenerAsync("/ip4/127.0.0.1/tcp/0", cancellationToken).ConfigureAwait(false);
        await using var dialerNode = await BenchmarkHosts.StartDialerAsync(cancellationToken).ConfigureAwait(false);
        var (listener, dialer) = (listenerNode.Host, dialerNode.Host);
        var trace = new ProxyTrace();
        await using var proxy = new DelayingProxy(listener.ListenAddresses[0].ToTcpEndPoint()!, delay, trace);
        proxy.Start();
        var direct = BenchmarkHosts.DialAddress(listener);
        var delayed = Multiaddress.FromTcpEndPoint(proxy.LocalEndPoint).WithPeerId(listener.PeerId);

        // Warm-up straight to the listener: JIT and first-use costs are not round trips.
        for (var i = 0; i < warmup; i++)
        {
            await ConnectionSetup.RunAsync(dialer, direct, cancellationToken).ConfigureAwait(false);
        }
        var timings = new List<SetupTiming>(trials);
        for (var i = 0; i < trials; i++)
        {
            timings.Add(await ConnectionSetup.RunAsync(dialer, delayed, cancellationToken).ConfigureAwait(false));
        }

        var calibrationMs = await ProxyCalibration.MeasureAsync(delay, trials, cancellationToken).ConfigureAwait(false);

        var rttMs = 2 * delay.TotalMilliseconds;
        var firstByteMs = Statistics.Median([.. timings.Select(t => t.FirstByteMs)]);
        var medianTrial = timings.FindIndex(t => t.FirstByteMs == firstByteMs);
        var connectedMs = Statistics.Median([.. timings.Select(t => t.ConnectedMs)]);
        JsonLine.Write(new JsonObject
        {
            ["mode"] = "rtt",
            ["oneWayDelayMs"] = delay.TotalMilliseconds,
            ["rttMs"] = rttMs,
            ["trials"] = trials,
            ["firstByteMs"] = new JsonArray([.. timings.Select(t => (JsonNode)JsonLine.Round(t.FirstByteMs))]),
            ["medianFirstByteMs"] = JsonLine.Round(firstByteMs),
            ["medianConnectedMs"] = JsonLine.Round(connectedMs),
            ["rttsToFirstByteExact"] = JsonLine.Round(firstByteMs / rttMs, 2),
            ["rttsToFirstByte"] = (int)Math.Round(firstByteMs / rttMs, MidpointRounding.AwayFromZero),
            ["rttsToConnectedExact"] = JsonLine.Round(connectedMs / rttMs, 2),
            ["proxyTcpEchoMs"] = JsonLine.Round(calibrationMs),
            ["proxySlackMs"] = JsonLine.Round(calibrationMs - 2 * rttMs),
            ["medianTrialTrace"] = trace.ToJson(medianTrial + 1),
        });
        return 0;
    }
}
