using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Messenger.Overlay;

namespace Dione.Messenger.Mailbox;

/// <summary>
/// The throwaway identities a person's mailbox traffic goes out under: one per <see cref="MailboxTraffic"/>, made when
/// first needed and replaced by a fresh one once it is older than the lifetime (a day by default), so a holder can link
/// requests of one kind for a day at most and never links them to the node's own peer id or to another kind.
/// </summary>
internal sealed class EphemeralIdentities : IAsyncDisposable
{
    private readonly Func<Libp2pHost> _newHost;
    private readonly DioneOverlay _overlay;
    private readonly PeerId _home;
    private readonly MailboxServiceOptions _options;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly Dictionary<MailboxTraffic, EphemeralIdentity> _current = [];
    private readonly List<Task> _disposals = [];
    private bool _disposed;

    /// <param name="newHost">Builds a host with a fresh key, no listen address and the node's peer store.</param>
    public EphemeralIdentities(Func<Libp2pHost> newHost, DioneOverlay overlay, PeerId home, MailboxServiceOptions options, TimeProvider? time = null)
    {
        _newHost = newHost;
        _overlay = overlay;
        _home = home;
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The peer ids in use now, for tests and the node's status: none of them is ever the node's own.</summary>
    public IReadOnlyDictionary<MailboxTraffic, PeerId> Current
    {
        get
        {
            lock (_gate)
            {
                return _current.ToDictionary(e => e.Key, e => e.Value.PeerId);
            }
        }
    }

    /// <summary>Connections the throwaway identities hold open now.</summary>
    public int ConnectionCount
    {
        get
        {
            lock (_gate)
            {
                return _current.Values.Sum(i => i.ConnectionCount);
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> over the current identity for <paramref name="traffic"/>.</summary>
    public async Task<T> UseAsync<T>(MailboxTraffic traffic, Func<IMailboxRoute, Task<T>> work)
    {
        var identity = Acquire(traffic);
        try
        {
            return await work(identity).ConfigureAwait(false);
        }
        finally
        {
            if (identity.RemoveUser())
            {
                await identity.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                identity.CloseIdleBeyondCap();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<EphemeralIdentity> current;
        Task[] disposals;
        lock (_gate)
        {
            _disposed = true;
            current = [.. _current.Values];
            _current.Clear();
            disposals = [.. _disposals];
        }
        foreach (var identity in current)
        {
            await identity.DisposeAsync().ConfigureAwait(false);
        }
        await Task.WhenAll(disposals).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private EphemeralIdentity Acquire(MailboxTraffic traffic)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _time.GetUtcNow();
            if (!_current.TryGetValue(traffic, out var identity) || now - identity.Created >= _options.EphemeralIdentityLifetime)
            {
                if (identity is not null && identity.Retire())
                {
                    _disposals.RemoveAll(t => t.IsCompleted);
                    _disposals.Add(identity.DisposeAsync().AsTask());
                }
                identity = new EphemeralIdentity(_newHost(), _overlay, _home, _options.MaxEphemeralConnections, now);
                _current[traffic] = identity;
            }
            identity.AddUser();
            return identity;
        }
    }
}
