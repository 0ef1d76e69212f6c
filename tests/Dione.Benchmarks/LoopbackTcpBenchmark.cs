using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Dione.Benchmarks;

/// <summary>
/// The ceiling for any TCP transport here: a plain connected socket pair on 127.0.0.1 in this process moving
/// the same bytes with 64 KiB async writes and reads, no framing, no crypto.
/// </summary>
internal static class LoopbackTcpBenchmark
{
    public const int ChunkSize = 64 * 1024;

    public static async Task<JsonObject> RunAsync(long bytes, CancellationToken cancellationToken)
    {
        await MoveAsync(Math.Min(bytes, 16L << 20), cancellationToken).ConfigureAwait(false);
        var seconds = await MoveAsync(bytes, cancellationToken).ConfigureAwait(false);
        return new JsonObject
        {
            ["mode"] = "tcp",
            ["bytes"] = bytes,
            ["seconds"] = JsonLine.Round(seconds, 6),
            ["bytesPerSecond"] = Math.Round(bytes / seconds),
        };
    }

    /// <summary>Sends <paramref name="bytes"/> over a fresh socket pair; returns the seconds until the last byte was read.</summary>
    private static async Task<double> MoveAsync(long bytes, CancellationToken cancellationToken)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accepting = listener.AcceptAsync(cancellationToken).AsTask();
        await sender.ConnectAsync(listener.LocalEndPoint!, cancellationToken).ConfigureAwait(false);
        using var receiver = await accepting.ConfigureAwait(false);
        receiver.NoDelay = true;

        var started = Stopwatch.GetTimestamp();
        var receiving = Task.Run(() => ReceiveAllAsync(receiver, cancellationToken), cancellationToken);
        var chunk = new byte[ChunkSize];
        for (var left = bytes; left > 0;)
        {
            var size = (int)Math.Min(left, ChunkSize);
            await sender.SendAsync(chunk.AsMemory(0, size), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            left -= size;
        }
        sender.Shutdown(SocketShutdown.Send);
        var received = await receiving.ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (received != bytes)
        {
            throw new InvalidDataException($"loopback moved {received} of {bytes} bytes");
        }
        return seconds;
    }

    private static async Task<long> ReceiveAllAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkSize];
        long total = 0;
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }
        return total;
    }
}
