using System.Runtime.InteropServices;

namespace Dione.Benchmarks;

/// <summary>
/// Completes when a long-running mode should stop: SIGTERM, SIGINT, or a lifetime cap, so a server the
/// script failed to stop never outlives it for long.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly TaskCompletionSource<string> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PosixSignalRegistration _sigterm;
    private readonly PosixSignalRegistration _sigint;
    private readonly CancellationTokenSource _lifetime;

    public ShutdownSignal(TimeSpan lifetime)
    {
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _lifetime = new CancellationTokenSource(lifetime);
        _lifetime.Token.Register(() => _stopped.TrySetResult($"lifetime of {lifetime.TotalSeconds} s reached"));
    }

    /// <summary>Completes with the reason to stop.</summary>
    public Task<string> Stopped => _stopped.Task;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        _stopped.TrySetResult(context.Signal.ToString());
    }

    public void Dispose()
    {
        _sigterm.Dispose();
        _sigint.Dispose();
        _lifetime.Dispose();
    }
}
