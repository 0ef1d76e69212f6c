using System.Diagnostics;

namespace Dione.Libp2p.Yamux;

/// <summary>An outstanding ping of a session: its opaque id, when it was queued, and its result.</summary>
internal sealed class YamuxPendingPing(uint id)
{
    private readonly TaskCompletionSource<TimeSpan> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public uint Id { get; } = id;

    public long StartTimestamp { get; } = Stopwatch.GetTimestamp();

    public Task<TimeSpan> Result => _result.Task;

    public void Complete(TimeSpan roundTrip) => _result.TrySetResult(roundTrip);

    public void Fail(Exception error) => _result.TrySetException(error);
}
