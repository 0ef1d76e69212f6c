using System.Collections.Concurrent;
using Dione.Kademlia.Protos;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dione.Kademlia;

/// <summary>
/// Keeps a <see cref="RoutingTable"/> in step with the host: a peer enters when identify (or identify/push) shows it
/// speaks <see cref="KadOptions.ProtocolId"/> (that is, it is a DHT server), and leaves when it stops advertising it.
/// When the peer's bucket is full, the least recently seen member is checked first: FIND_NODE of its own id, as go's
/// liveness check, within <see cref="KadOptions.LivenessCheckTimeout"/>; a member that fails is removed and the
/// newcomer (the freshest replacement) takes its place, a member that answers stays and the newcomer waits in the
/// replacement cache. Peers that answer any of our requests are marked seen.
/// </summary>
/// <remarks>
/// Unlike go, a newcomer with room in its bucket is added without an admission check; refresh and lookups are not here.
/// </remarks>
public sealed class RoutingTableManager : IAsyncDisposable
{
    private readonly Libp2pHost _host;
    private readonly RoutingTable _table;
    private readonly KadClient _client;
    private readonly KadOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<PeerId, Task> _checks = new();
    private readonly CancellationTokenSource _lifetime = new();
    private int _started;
    private int _disposed;

    public RoutingTableManager(Libp2pHost host, RoutingTable table, KadClient client, KadOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(client);
        _options = options ?? new KadOptions();
        _options.Validate();
        _host = host;
        _table = table;
        _client = client;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Raised when a peer entered the table (directly or promoted from the replacement cache).</summary>
    public event EventHandler<PeerId>? PeerAdded;

    /// <summary>Raised when a peer left the table (stopped advertising the protocol, or failed its liveness check).</summary>
    public event EventHandler<PeerId>? PeerRemoved;

    /// <summary>Raised when a liveness check ends: the peer checked and whether it answered.</summary>
    public event EventHandler<(PeerId Peer, bool Alive)>? LivenessChecked;

    /// <summary>Liveness checks running now.</summary>
    public int PendingChecks => _checks.Count;

    /// <summary>Subscribes to the host's identify events and considers the peers already identified.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            return;
        }
        _host.Identify.PeerIdentified += OnPeerIdentified;
        _client.PeerResponded += OnPeerResponded;
        foreach (var connection in _host.Connections)
        {
            if (_host.Peers.Get(connection.RemotePeer) is { } info)
            {
                Consider(info);
            }
        }
    }

    /// <summary>
    /// Adds, keeps or removes <paramref name="info"/>'s peer according to the protocols it advertises; starts a liveness
    /// check when its bucket is full.
    /// </summary>
    public void Consider(PeerInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.PeerId == _host.PeerId || _disposed != 0)
        {
            return;
        }
        if (!info.Protocols.Contains(_options.ProtocolId, StringComparer.Ordinal))
        {
            Remove(info.PeerId, "no longer advertises the protocol");
            return;
        }
        var result = _table.TryAdd(info.PeerId);
        switch (result.Status)
        {
            case RoutingTableAddStatus.Added:
                KadLog.PeerAdded(_logger, info.PeerId.ToString());
                PeerAdded?.Invoke(this, info.PeerId);
                break;
            case RoutingTableAddStatus.BucketFull when result.EvictionCandidate is { } candidate:
                StartCheck(candidate.PeerId);
                break;
        }
    }

    /// <summary>
    /// Checks that <paramref name="peer"/> still answers: FIND_NODE of its own id must succeed (and return at least one
    /// peer once our table holds k peers, as go requires).
    /// </summary>
    public async Task<bool> CheckLivenessAsync(PeerId peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.LivenessCheckTimeout);
        try
        {
            var request = new Message { Type = Message.Types.MessageType.FindNode, Key = ByteString.CopyFrom(peer.Bytes) };
            var reply = await _client.SendRequestAsync(peer, request, timeout.Token).ConfigureAwait(false);
            var alive = reply.CloserPeers.Count > 0 || _table.Count < _options.BucketSize;
            KadLog.LivenessChecked(_logger, peer.ToString(), alive ? "alive" : "answered with no peers");
            return alive;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            KadLog.LivenessChecked(_logger, peer.ToString(), e.Message);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _host.Identify.PeerIdentified -= OnPeerIdentified;
        _client.PeerResponded -= OnPeerResponded;
        await _lifetime.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_checks.Values).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Checks end with the cancellation; their outcome no longer matters.
        }
        _lifetime.Dispose();
    }

    private void OnPeerIdentified(object? sender, PeerInfo info) => Consider(info);

    private void OnPeerResponded(object? sender, PeerId peer) => _table.MarkSeen(peer);

    private void StartCheck(PeerId candidate)
    {
        if (_checks.Count >= _options.MaxConcurrentLivenessChecks || _checks.ContainsKey(candidate))
        {
            return;
        }
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_checks.TryAdd(candidate, gate.Task))
        {
            return;
        }
        _ = RunCheckAsync(candidate, gate);
    }

    private async Task RunCheckAsync(PeerId candidate, TaskCompletionSource done)
    {
        try
        {
            await Task.Yield();
            var alive = await CheckLivenessAsync(candidate, _lifetime.Token).ConfigureAwait(false);
            if (alive)
            {
                _table.MarkSeen(candidate);
            }
            else
            {
                Remove(candidate, "failed its liveness check");
            }
            LivenessChecked?.Invoke(this, (candidate, alive));
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        finally
        {
            _checks.TryRemove(candidate, out _);
            done.TrySetResult();
        }
    }

    private void Remove(PeerId peer, string reason)
    {
        if (!_table.Remove(peer, out var promoted))
        {
            return;
        }
        KadLog.PeerRemoved(_logger, peer.ToString(), reason);
        PeerRemoved?.Invoke(this, peer);
        if (promoted is not null)
        {
            KadLog.PeerAdded(_logger, promoted.PeerId.ToString());
            PeerAdded?.Invoke(this, promoted.PeerId);
        }
    }
}
