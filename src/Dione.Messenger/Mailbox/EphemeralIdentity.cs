using Dione.Kademlia;
using Dione.Kademlia.Lookup;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Messenger.Overlay;
using Dione.Messenger.Store;

namespace Dione.Messenger.Mailbox;

/// <summary>
/// One throwaway libp2p identity, made for one kind of mailbox traffic and used for nothing else: a host that listens
/// nowhere and serves nothing but identify and ping, which dials holders for STORE, FETCH and DELETE and overlay peers
/// for the lookups that find them. Holders see its peer id and the connection's IP address, never the node's own peer id.
/// </summary>
/// <remarks>
/// The host shares the node's peer store, so it reaches every peer the node knows addresses for. It advertises no
/// overlay protocol, so nobody puts it in a routing table. Its idle connections beyond <c>maxConnections</c> are
/// closed as new ones open and as requests end (oldest first); a connection with a stream open, such as a waiting
/// FETCH, is never closed, so the cap bounds idle connections, not those carrying requests.
/// Once replaced by a fresh identity it is retired, and disposed when its last request has ended.
/// </remarks>
internal sealed class EphemeralIdentity : IMailboxRoute, IAsyncDisposable
{
    /// <summary>A connection younger than this is about to carry the request it was dialed for, so it is not idle yet.</summary>
    private static readonly TimeSpan IdleAfter = TimeSpan.FromSeconds(2);

    private readonly Libp2pHost _host;
    private readonly DioneOverlay _overlay;
    private readonly PeerId _home;
    private readonly LookupEngine _lookups;
    private readonly int _maxConnections;
    private readonly object _gate = new();
    private int _users;
    private bool _retired;

    /// <param name="host">A new host with a fresh key and no listen address, sharing the node's peer store.</param>
    /// <param name="overlay">The node's overlay: its table seeds the lookups, its options say how to run them.</param>
    /// <param name="home">The node's own peer id, never returned as a holder (the node serves itself from its own store).</param>
    /// <param name="maxConnections">Idle connections kept at most.</param>
    /// <param name="created">When this identity was made.</param>
    public EphemeralIdentity(Libp2pHost host, DioneOverlay overlay, PeerId home, int maxConnections, DateTimeOffset created)
    {
        _host = host;
        _overlay = overlay;
        _home = home;
        _maxConnections = maxConnections;
        Created = created;
        Store = new DioneStoreClient(host);
        _lookups = new LookupEngine(new KadClient(host, overlay.Dht.Options.Kad), host.PeerId, overlay.Dht.Options.Lookup);
        host.Connected += OnConnected;
    }

    public PeerId PeerId => _host.PeerId;

    public DateTimeOffset Created { get; }

    public DioneStoreClient Store { get; }

    /// <summary>Connections open now, for the node's status and the benchmarks.</summary>
    public int ConnectionCount => _host.Connections.Count;

    public async Task<IReadOnlyList<PeerId>> FindHoldersAsync(byte[] address, CancellationToken cancellationToken)
    {
        var seeds = _overlay.LookupSeeds(address);
        if (seeds.Count == 0)
        {
            return [];
        }
        var result = await _lookups.FindClosestPeersAsync(address, seeds, cancellationToken: cancellationToken).ConfigureAwait(false);
        return result.ClosestPeers.Select(p => p.PeerId).Where(p => p != _home).Take(_overlay.Options.Replication).ToList();
    }

    /// <summary>Counts a request that starts on this identity.</summary>
    public void AddUser()
    {
        lock (_gate)
        {
            _users++;
        }
    }

    /// <summary>Counts a request that ended; true when the identity is retired and was its last user (dispose it now).</summary>
    public bool RemoveUser()
    {
        lock (_gate)
        {
            _users--;
            return _retired && _users == 0;
        }
    }

    /// <summary>Stops new requests from coming; true when none is under way (dispose it now).</summary>
    public bool Retire()
    {
        lock (_gate)
        {
            _retired = true;
            return _users == 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _host.Connected -= OnConnected;
        await _host.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Closes idle connections (no stream open, older than a moment) while more than the cap are open, oldest first;
    /// runs as a connection opens and as a request ends.
    /// </summary>
    public void CloseIdleBeyondCap()
    {
        var connections = _host.Connections;
        var excess = connections.Count - _maxConnections;
        if (excess <= 0)
        {
            return;
        }
        var idleSince = DateTimeOffset.UtcNow - IdleAfter;
        foreach (var idle in connections.Where(c => c.StreamCount == 0 && c.Opened < idleSince).OrderBy(c => c.Opened).Take(excess))
        {
            _ = idle.DisposeAsync().AsTask();
        }
    }

    private void OnConnected(object? sender, Connection opened) => CloseIdleBeyondCap();
}
