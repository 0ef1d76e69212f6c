using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Dione.Benchmarks;

/// <summary>
/// The ceiling for one Noise transport direction: <see cref="ChaCha20Poly1305"/> encrypting 64 KiB chunks
/// in a loop on the calling thread, as Noise does per frame (fresh nonce each time).
/// </summary>
internal static class ChaChaBenchmark
{
    public const int ChunkSize = 64 * 1024;

    public static JsonObject Run(TimeSpan duration)
    {
        if (!ChaCha20Poly1305.IsSupported)
        {
            throw new PlatformNotSupportedException("ChaCha20-Poly1305 is not supported by this platform's crypto library");
        }
        using var aead = new ChaCha20Poly1305(RandomNumberGenerator.GetBytes(32));
        var plaintext = new byte[ChunkSize];
        var ciphertext = new byte[ChunkSize];
        var tag = new byte[16];
        var nonce = new byte[12];
        ulong counter = 0;

        // Warm-up: JIT and the native library's first-use costs stay out of the measurement.
        var warmUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 5;
        while (Stopwatch.GetTimestamp() < warmUntil)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(nonce.AsSpan(4), counter++);
            aead.Encrypt(nonce, plaintext, ciphertext, tag);
        }

        long chunks = 0;
        var started = Stopwatch.GetTimestamp();
        var until = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long now;
        do
        {
            for (var i = 0; i < 16; i++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(nonce.AsSpan(4), counter++);
                aead.Encrypt(nonce, plaintext, ciphertext, tag);
            }
            chunks += 16;
            now = Stopwatch.GetTimestamp();
        }
        while (now < until);
        var seconds = (double)(now - started) / Stopwatch.Frequency;
        var bytes = chunks * ChunkSize;
        return new JsonObject
        {
            ["mode"] = "chacha",
            ["chunkBytes"] = ChunkSize,
            ["bytes"] = bytes,
            ["seconds"] = JsonLine.Round(seconds, 6),
            ["bytesPerSecond"] = Math.Round(bytes / seconds),
        };
    }
}
