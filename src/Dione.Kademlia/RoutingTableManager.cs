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
/// <para>Before a newcomer is offered to the table, as go-libp2p-kad-dht does: unless
/// <see cref="KadOptions.AllowsPrivateAddresses"/>, it must be connected and have a public address
/// (go's <c>PublicRoutingTableFilter</c>), and the table's <see cref="RoutingTable.Diversity"/> limit is applied to the
/// IP group of the connection's remote address; with <see cref="KadOptions.AdmissionCheck"/>, it must answer a
/// FIND_NODE of its own id within <see cref="KadOptions.AdmissionCheckTimeout"/> (go's <c>lookupCheck</c>), at most
/// <see cref="KadOptions.MaxConcurrentAdmissionChecks"/> at once (newcomers beyond are dropped until identified again).</para>
/// <para>Refresh and lookups are not here.</para>
/// </remarks>
public sealed class RoutingTableManager : IAsyncDisposable
{
    private readonly ILibp2pHost _host;
    private readonly RoutingTable _table;
    private readonly KadClient _client;
    private readonly KadOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<PeerId, Task> _checks = new();
    private readonly ConcurrentDictionary<PeerId, Task> _admissions = new();
    private int _admissionSlots;
    private readonly CancellationTokenSource _lifetime = new();
    private int _started;
    private int _disposed;

    public RoutingTableManager(ILibp2pHost host, RoutingTable table, KadClient client, KadOptions? options = null, ILogger? logger = null)
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
        _admissionSlots = _options.MaxConcurrentAdmissionChecks;
    }

    /// <summary>Raised when a peer entered the table (directly or promoted from the replacement cache).</summary>
    public event EventHandler<PeerId>? PeerAdded;

    /// <summary>Raised when a peer left the table (stopped advertising the protocol, or failed its liveness check).</summary>
    public event EventHandler<PeerId>? PeerRemoved;

    /// <summary>Raised when a liveness check ends: the peer checked and whether it answered.</summary>
    public event EventHandler<(PeerId Peer, bool Alive)>? LivenessChecked;

    /// <summary>Raised when an admission check ends: the newcomer checked and whether it answered.</summary>
    public event EventHandler<(PeerId Peer, bool Answered)>? AdmissionChecked;

    /// <summary>Raised when a newcomer is kept out by the address filter or the IP diversity limit, with the reason.</summary>
    public event EventHandler<(PeerId Peer, string Reason)>? PeerRefused;

    /// <summary>Liveness checks running now.</summary>
    public int PendingChecks => _checks.Count;

    /// <summary>Admission checks running now.</summary>
    public int PendingAdmissions => _admissions.Count;

    /// <summary>Completes when the admission check of <paramref name="peer"/>, if one runs, has ended (at once otherwise).</summary>
    public Task WhenAdmissionSettled(PeerId peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return _admissions.TryGetValue(peer, out var running) ? running : Task.CompletedTask;
    }

    /// <summary>Subscribes to the host's identify events and considers the peers already identified.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            return;
        }
        _host.PeerIdentified += OnPeerIdentified;
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
        if (_table.Contains(info.PeerId))
        {
            _table.TryAdd(info.PeerId);
            return;
        }
        if (!Admissible(info.PeerId, out var group))
        {
            return;
        }
        if (_options.AdmissionCheck)
        {
            StartAdmission(info.PeerId);
            return;
        }
        Offer(info.PeerId, group);
    }

    /// <summary>
    /// Checks that <paramref name="peer"/> still answers: FIND_NODE of its own id must succeed (and return at least one
    /// peer once our table holds k peers, as go requires).
    /// </summary>
    public async Task<bool> CheckLivenessAsync(PeerId peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var (alive, outcome) = await AnswersFindNodeOfItselfAsync(peer, _options.LivenessCheckTimeout, cancellationToken).ConfigureAwait(false);
        KadLog.LivenessChecked(_logger, peer.ToString(), outcome);
        return alive;
    }

    /// <summary>
    /// The admission check of a newcomer: the same FIND_NODE of its own id as <see cref="CheckLivenessAsync"/>, within
    /// <see cref="KadOptions.AdmissionCheckTimeout"/>.
    /// </summary>
    public async Task<bool> CheckAdmissionAsync(PeerId peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var (answered, outcome) = await AnswersFindNodeOfItselfAsync(peer, _options.AdmissionCheckTimeout, cancellationToken).ConfigureAwait(false);
        KadLog.AdmissionChecked(_logger, peer.ToString(), outcome);
        return answered;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _host.PeerIdentified -= OnPeerIdentified;
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
        try
        {
            await Task.WhenAll(_admissions.Values).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // As above.
        }
        _lifetime.Dispose();
    }

    private async Task<(bool Answered, string Outcome)> AnswersFindNodeOfItselfAsync(PeerId peer, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            var request = new Message { Type = Message.Types.MessageType.FindNode, Key = ByteString.CopyFrom(peer.Bytes) };
            var reply = await _client.SendRequestAsync(peer, request, timeout.Token).ConfigureAwait(false);
            // As go: a peer must return at least one peer, unless our table is still smaller than a bucket.
            var answered = reply.CloserPeers.Count > 0 || _table.Count < _options.BucketSize;
            return (answered, answered ? "answered" : "answered with no peers");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return (false, e.Message);
        }
    }

    /// <summary>
    /// The address filter and the IP group of a newcomer: unless private addresses are allowed, it must be connected
    /// and known at a public address; when the table limits diversity, <paramref name="group"/> is the IP group of the
    /// connection's remote address.
    /// </summary>
    private bool Admissible(PeerId peer, out string? group)
    {
        group = null;
        var connection = _host.FindConnection(peer);
        if (!_options.AllowsPrivateAddresses)
        {
            var addresses = _host.Peers.Get(peer)?.Addresses ?? [];
            if (connection is null || !addresses.Any(a => KadAddressFilter.IsAllowed(a, allowPrivate: false)))
            {
                Refuse(peer, connection is null ? "not connected" : "no public address");
                return false;
            }
        }
        if (_table.Diversity is not null)
        {
            group = connection is null ? null : IpGroup.Of(connection.RemoteAddress);
            if (group is null)
            {
                Refuse(peer, "no IP address to group by");
                return false;
            }
        }
        return true;
    }

    private void Refuse(PeerId peer, string reason)
    {
        KadLog.PeerNotAdded(_logger, peer.ToString(), reason);
        PeerRefused?.Invoke(this, (peer, reason));
    }

    private void Offer(PeerId peer, string? group)
    {
        var result = _table.TryAdd(peer, group);
        switch (result.Status)
        {
            case RoutingTableAddStatus.Added:
                KadLog.PeerAdded(_logger, peer.ToString());
                PeerAdded?.Invoke(this, peer);
                break;
            case RoutingTableAddStatus.BucketFull when result.EvictionCandidate is { } candidate:
                StartCheck(candidate.PeerId);
                break;
            case RoutingTableAddStatus.DiversityLimit:
                Refuse(peer, $"IP group {group} is at its limit");
                break;
        }
    }

    private void StartAdmission(PeerId peer)
    {
        if (_admissions.ContainsKey(peer))
        {
            return;
        }
        if (Interlocked.Decrement(ref _admissionSlots) < 0)
        {
            Interlocked.Increment(ref _admissionSlots);
            KadLog.PeerNotAdded(_logger, peer.ToString(), "too many admission checks running");
            return;
        }
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_admissions.TryAdd(peer, gate.Task))
        {
            Interlocked.Increment(ref _admissionSlots);
            return;
        }
        _ = RunAdmissionAsync(peer, gate);
    }

    private async Task RunAdmissionAsync(PeerId peer, TaskCompletionSource done)
    {
        try
        {
            await Task.Yield();
            var answered = await CheckAdmissionAsync(peer, _lifetime.Token).ConfigureAwait(false);
            AdmissionChecked?.Invoke(this, (peer, answered));
            // The peer may have stopped advertising the protocol, or been added, meanwhile: judge it again as it is now.
            if (answered && _disposed == 0 && !_table.Contains(peer)
                && _host.Peers.Get(peer) is { } info && info.Protocols.Contains(_options.ProtocolId, StringComparer.Ordinal)
                && Admissible(peer, out var group))
            {
                Offer(peer, group);
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        finally
        {
            _admissions.TryRemove(peer, out _);
            Interlocked.Increment(ref _admissionSlots);
            done.TrySetResult();
        }
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
