namespace Dione.Benchmarks.Messaging;

/// <summary>When a message arrived: the benchmark clock's seconds when the poll that returned it ended.</summary>
internal sealed record MessageArrival(double PollReturnedAt);
