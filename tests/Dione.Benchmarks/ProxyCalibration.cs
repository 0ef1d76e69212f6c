using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Dione.Benchmarks;

/// <summary>
/// What the <see cref="DelayingProxy"/> itself adds: a plain TCP connect plus one echoed byte through it should take
/// exactly 2 RTT (handshake, then the byte there and back); the excess is timer slack and scheduling.
/// </summary>
internal static class ProxyCalibration
{
    /// <summary>Median milliseconds from starting the connect to the echoed byte, over <paramref name="trials"/>.</summary>
    public static async Task<double> MeasureAsync(TimeSpan oneWayDelay, int trials, CancellationToken cancellationToken)
    {
        using var echo = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        echo.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        echo.Listen(8);
        await using var proxy = new DelayingProxy((IPEndPoint)echo.LocalEndPoint!, oneWayDelay);
        proxy.Start();
        var times = new List<double>(trials);
        for (var i = 0; i < trials; i++)
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            var started = Stopwatch.GetTimestamp();
            await client.ConnectAsync(proxy.LocalEndPoint, cancellationToken).ConfigureAwait(false);
            await client.SendAsync(new byte[] { 42 }, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            using var server = await echo.AcceptAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[1];
            await server.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            await server.SendAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            var read = await client.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (read != 1 || buffer[0] != 42)
            {
                throw new InvalidDataException("the proxy did not relay the echoed byte");
            }
        }
        return Statistics.Median(times);
    }
}
