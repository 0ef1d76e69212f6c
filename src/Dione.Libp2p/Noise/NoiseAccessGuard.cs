namespace Dione.Libp2p.Noise;

/// <summary>
/// Guards one direction of a <see cref="NoiseStream"/>: at most one caller at a time, no use after dispose or after
/// a fatal error, and resources released exactly once, by whoever leaves last.
/// </summary>
internal sealed class NoiseAccessGuard
{
    private const int Idle = 0;
    private const int Busy = 1;
    private const int Released = 2;

    private readonly string _direction;
    private readonly Action _release;
    private int _state;
    private int _disposed;
    private string? _fault;

    /// <param name="direction">"read" or "write", for messages.</param>
    /// <param name="release">Frees the direction's resources; runs once, never during an operation.</param>
    public NoiseAccessGuard(string direction, Action release)
    {
        _direction = direction;
        _release = release;
    }

    /// <summary>Claims the direction for one operation.</summary>
    public void Enter()
    {
        if (Interlocked.CompareExchange(ref _state, Busy, Idle) != Idle)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                throw new ObjectDisposedException(nameof(NoiseStream));
            }
            throw new InvalidOperationException($"concurrent {_direction} operations on a NoiseStream are not supported");
        }
        if (Volatile.Read(ref _disposed) != 0)
        {
            Exit();
            throw new ObjectDisposedException(nameof(NoiseStream));
        }
        if (_fault is not null)
        {
            Exit();
            throw new IOException($"the NoiseStream is unusable after an earlier error: {_fault}");
        }
    }

    /// <summary>Ends the operation; releases the resources if the stream was disposed meanwhile.</summary>
    public void Exit()
    {
        Volatile.Write(ref _state, Idle);
        if (Volatile.Read(ref _disposed) != 0)
        {
            TryRelease();
        }
    }

    /// <summary>Marks the direction unusable; later operations throw <see cref="IOException"/>.</summary>
    public void Fault(string reason) => _fault ??= reason;

    /// <summary>Marks the stream disposed and releases now unless an operation is running (it releases on exit).</summary>
    public void Dispose()
    {
        Volatile.Write(ref _disposed, 1);
        TryRelease();
    }

    private void TryRelease()
    {
        if (Interlocked.CompareExchange(ref _state, Released, Idle) == Idle)
        {
            _release();
        }
    }
}
