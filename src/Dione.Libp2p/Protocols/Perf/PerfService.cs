using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;

namespace Dione.Libp2p.Protocols.Perf;

/// <summary>
/// libp2p perf (specs/perf/perf.md): the client sends a big-endian u64 of the bytes it wants back, uploads,
/// half-closes; the server drains the upload and then sends the bytes asked for.
/// </summary>
public sealed class PerfService
{
    public const string ProtocolId = "/perf/1.0.0";

    /// <summary>Size of the chunks written in both directions.</summary>
    public const int BlockSize = 64 * 1024;

    private readonly Libp2pHost _host;

    internal PerfService(Libp2pHost host) => _host = host;

    public async Task<PerfResult> RunAsync(PeerId peer, ulong uploadBytes, ulong downloadBytes, CancellationToken cancellationToken = default)
    {
        await using var stream = await _host.NewStreamAsync(peer, [ProtocolId], cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            var started = Stopwatch.GetTimestamp();
            BinaryPrimitives.WriteUInt64BigEndian(buffer, downloadBytes);
            await stream.Stream.WriteAsync(buffer.AsMemory(0, sizeof(ulong)), cancellationToken).ConfigureAwait(false);
            Array.Clear(buffer, 0, BlockSize);
            await WriteZerosAsync(stream.Stream, buffer, uploadBytes, cancellationToken).ConfigureAwait(false);
            await stream.CloseWriteAsync(cancellationToken).ConfigureAwait(false);
            var uploadTime = Stopwatch.GetElapsedTime(started);
            var received = await DrainAsync(stream.Stream, buffer, cancellationToken).ConfigureAwait(false);
            var downloadTime = Stopwatch.GetElapsedTime(started) - uploadTime;
            if (received != downloadBytes)
            {
                throw new InvalidDataException($"perf server sent {received} bytes, {downloadBytes} were asked for");
            }
            return new PerfResult(uploadBytes, downloadBytes, uploadTime, downloadTime);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal async Task HandleAsync(StreamContext context, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            await context.Stream.ReadExactlyAsync(buffer.AsMemory(0, sizeof(ulong)), cancellationToken).ConfigureAwait(false);
            var toSend = BinaryPrimitives.ReadUInt64BigEndian(buffer);
            await DrainAsync(context.Stream, buffer, cancellationToken).ConfigureAwait(false);
            Array.Clear(buffer, 0, BlockSize);
            await WriteZerosAsync(context.Stream, buffer, toSend, cancellationToken).ConfigureAwait(false);
            await context.CloseWriteAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task WriteZerosAsync(Stream stream, byte[] zeros, ulong count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            var chunk = (int)Math.Min(count, BlockSize);
            await stream.WriteAsync(zeros.AsMemory(0, chunk), cancellationToken).ConfigureAwait(false);
            count -= (ulong)chunk;
        }
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ulong> DrainAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        ulong total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer.AsMemory(0, BlockSize), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += (ulong)read;
        }
        return total;
    }
}
