using System.Runtime.InteropServices;

namespace Dione.Cli.Commands;

/// <summary>
/// When the daemon stops: on SIGINT or SIGTERM, on the API's <c>shutdown</c> command (or when the invocation is cancelled) <see cref="Token"/> is cancelled
/// and the daemon shuts down in its own time, closing what it opened, then exits 0. The signals are handled here
/// rather than by the command line library, which would end the process with 130 or 143 when the shutdown does not
/// finish within its timeout.
/// </summary>
public sealed class DaemonShutdown : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly List<PosixSignalRegistration> _registrations = [];

    public DaemonShutdown(CancellationToken invocation)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(invocation);
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            try
            {
                _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
            }
            catch (PlatformNotSupportedException)
            {
            }
        }
    }

    public CancellationToken Token => _stop.Token;

    /// <summary>Stops the daemon as a signal would (the API's <c>shutdown</c> command).</summary>
    public void Request() => Stop();

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Stop();
    }

    private void Stop()
    {
        try
        {
            _stop.Cancel();
        }
        catch (Exception e) when (e is AggregateException or ObjectDisposedException)
        {
            // A callback failed or the daemon already finished: stopping goes on either way.
        }
    }

    public void Dispose()
    {
        _registrations.ForEach(r => r.Dispose());
        _stop.Dispose();
    }
}
