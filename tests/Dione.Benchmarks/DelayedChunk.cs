namespace Dione.Benchmarks;

/// <summary>Bytes read by the proxy and the <see cref="System.Diagnostics.Stopwatch"/> time to pass them on; <c>Count == 0</c> is end of stream.</summary>
internal readonly record struct DelayedChunk(byte[] Buffer, int Count, long DueTimestamp);
