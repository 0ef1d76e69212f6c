using Dione.Libp2p.Yamux;

namespace Dione.Libp2p.Tests.Yamux;

internal static class YamuxTestUtil
{
    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Every byte offset of the headers that start at <paramref name="headerStarts"/>: the hot spots for
    /// mutating a frame sequence.</summary>
    public static int[] HeaderByteOffsets(IEnumerable<int> headerStarts) =>
        [.. headerStarts.SelectMany(start => Enumerable.Range(start, YamuxHeader.Size))];

    /// <summary>Reads until the remote's FIN; returns everything read.</summary>
    public static async Task<byte[]> ReadToEndAsync(Stream stream, CancellationToken ct)
    {
        using var collected = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            collected.Write(buffer, 0, read);
        }
        return collected.ToArray();
    }

    public static async Task ReadExactlyAsync(Stream stream, byte[] destination, CancellationToken ct)
    {
        await stream.ReadExactlyAsync(destination, ct);
    }

    public static YamuxSettings Settings(
        int maxInbound = 256,
        int acceptBacklog = 256,
        TimeSpan? keepAlive = null,
        TimeSpan? pingTimeout = null,
        int maxStreamWindow = 16 * 1024 * 1024) => new()
        {
            MaxInboundStreams = maxInbound,
            AcceptBacklog = acceptBacklog,
            KeepAliveInterval = keepAlive ?? TimeSpan.FromSeconds(30),
            PingTimeout = pingTimeout ?? TimeSpan.FromSeconds(15),
            MaxStreamWindow = maxStreamWindow,
        };
}
