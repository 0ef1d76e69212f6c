using System.Threading.Tasks.Sources;

namespace Dione.Libp2p.Yamux;

/// <summary>
/// An allocation-free auto-reset event for one waiter at a time: <see cref="Set"/> wakes the waiter,
/// or, when nobody waits, lets the next <see cref="WaitAsync"/> return at once. Continuations never run
/// inline in <see cref="Set"/>. Waiters re-check their condition after waking, so spurious wake-ups are harmless.
/// </summary>
internal sealed class AsyncAutoResetSignal : IValueTaskSource
{
    private readonly Lock _gate = new();
    private ManualResetValueTaskSourceCore<bool> _core;
    private bool _signaled;
    private bool _waiting;
    private CancellationToken _waitToken;
    private CancellationTokenRegistration _registration;

    public AsyncAutoResetSignal()
    {
        _core.RunContinuationsAsynchronously = true;
    }

    /// <summary>Wakes the current waiter, or arms the signal for the next one.</summary>
    public void Set()
    {
        CancellationTokenRegistration registration;
        lock (_gate)
        {
            if (!_waiting)
            {
                _signaled = true;
                return;
            }
            _waiting = false;
            registration = _registration;
            _registration = default;
            _core.SetResult(true);
        }
        registration.Unregister();
    }

    /// <summary>Waits until <see cref="Set"/> is called (or was called since the last wait).</summary>
    /// <exception cref="InvalidOperationException">Another wait is already pending.</exception>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        short version;
        lock (_gate)
        {
            if (_signaled)
            {
                _signaled = false;
                return ValueTask.CompletedTask;
            }
            if (_waiting)
            {
                throw new InvalidOperationException("Concurrent waits on the same yamux stream direction are not supported.");
            }
            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled(cancellationToken);
            }
            _core.Reset();
            version = _core.Version;
            _waiting = true;
            _waitToken = cancellationToken;
        }
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.UnsafeRegister(
                static (state, token) => ((AsyncAutoResetSignal)state!).Cancel(token), this);
            bool keep;
            lock (_gate)
            {
                keep = _waiting && _core.Version == version;
                if (keep)
                {
                    _registration = registration;
                }
            }
            if (!keep)
            {
                registration.Unregister();
            }
        }
        return new ValueTask(this, version);
    }

    private void Cancel(CancellationToken token)
    {
        lock (_gate)
        {
            if (!_waiting || _waitToken != token)
            {
                return;
            }
            _waiting = false;
            _registration = default;
            _core.SetException(new OperationCanceledException(token));
        }
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
