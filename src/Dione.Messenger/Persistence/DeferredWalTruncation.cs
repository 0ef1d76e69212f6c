using Dione.Storage;
using Microsoft.Data.Sqlite;

namespace Dione.Messenger.Persistence;

/// <summary>
/// Truncates the messenger's WAL (<see cref="SqliteStoreConnection.TruncateWalAsync"/>) a moment after a write that
/// replaced or deleted key material, once for a burst of such writes: the WAL keeps the old versions of the pages a
/// write changed, and a checkpoint after every send halved how many sends a second the database commits.
/// </summary>
/// <remarks>
/// A request starts a truncation <see cref="Delay"/> later unless one is already waiting; a request made while a
/// truncation runs is served by another one, <see cref="Delay"/> after it. So the old pages of any write are gone from
/// the WAL within <see cref="Delay"/> plus at most two truncations, however long a burst goes on (docs/protocol.md §9.3).
/// Disposal waits for the one under way and truncates a last time. The delay is wall-clock time on purpose: a test's
/// frozen clock must not keep keys in the WAL.
/// </remarks>
internal sealed class DeferredWalTruncation(SqliteStoreConnection database) : IAsyncDisposable
{
    /// <summary>How long after a write its old pages may stay in the WAL, before the truncation starts.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(200);

    private readonly object _gate = new();
    private Task _running = Task.CompletedTask;
    private bool _active;
    private bool _requested;
    private bool _disposed;
    private long _truncations;

    /// <summary>Truncations run so far (a burst of requests shares one): for tests.</summary>
    public long Truncations => Interlocked.Read(ref _truncations);

    /// <summary>Asks for a truncation soon; returns at once.</summary>
    public void Request()
    {
        lock (_gate)
        {
            _requested = true;
            if (!_active && !_disposed)
            {
                _active = true;
                _running = RunAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task running;
        lock (_gate)
        {
            _disposed = true;
            running = _running;
        }
        await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await TruncateAsync().ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        while (true)
        {
            await Task.Delay(Delay).ConfigureAwait(false);
            lock (_gate)
            {
                _requested = false;
            }
            await TruncateAsync().ConfigureAwait(false);
            lock (_gate)
            {
                if (!_requested || _disposed)
                {
                    _active = false;
                    return;
                }
            }
        }
    }

    /// <summary>Never fails: the writes are committed, and a truncation that could not complete is caught up by the next.</summary>
    private async Task TruncateAsync()
    {
        try
        {
            await database.TruncateWalAsync(CancellationToken.None).ConfigureAwait(false);
            Interlocked.Increment(ref _truncations);
        }
        catch (Exception e) when (e is SqliteException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }
}
