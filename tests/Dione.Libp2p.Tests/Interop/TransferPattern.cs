using System.Security.Cryptography;

namespace Dione.Libp2p.Tests.Interop;

/// <summary>Sends a deterministic byte pattern over a stream while reading the echo, and hashes both directions.</summary>
public static class TransferPattern
{
    public const int ChunkSize = 1024 * 1024;

    public static async Task<(byte[] Sent, byte[] Received, long ReceivedBytes)> EchoAsync(Stream stream, Func<Task> closeWrite, long totalBytes, CancellationToken cancellationToken)
    {
        var reading = HashToEndAsync(stream, cancellationToken);
        using var sentHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[ChunkSize];
        new Random(20261121).NextBytes(chunk);
        long sent = 0;
        for (var index = 0; sent < totalBytes; index++)
        {
            // Every chunk differs, so lost or reordered chunks change the hash.
            BitConverter.TryWriteBytes(chunk.AsSpan(0, sizeof(int)), index);
            var length = (int)Math.Min(ChunkSize, totalBytes - sent);
            sentHash.AppendData(chunk, 0, length);
            await stream.WriteAsync(chunk.AsMemory(0, length), cancellationToken);
            sent += length;
        }
        await stream.FlushAsync(cancellationToken);
        await closeWrite();
        var (received, count) = await reading;
        return (sentHash.GetHashAndReset(), received, count);
    }

    private static async Task<(byte[], long)> HashToEndAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[256 * 1024];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            total += read;
        }
        return (hash.GetHashAndReset(), total);
    }
}
