namespace Dione.Benchmarks;

/// <summary>
/// One connection setup, in milliseconds from starting the TCP connect: when the upgraded connection was ready,
/// when the first byte of the ping echo arrived, and when the connection was closed again.
/// </summary>
internal readonly record struct SetupTiming(double ConnectedMs, double FirstByteMs, double ClosedMs);
