using System.Threading.Channels;
using Dione.Libp2p.Identity;

namespace Dione.Kademlia.Lookup;

/// <summary>
/// One iterative lookup (specs/kad-dht "Peer routing"): asks the closest unasked of the k closest known peers, at most
/// alpha at once, learns closer peers from each reply, drops peers that fail, and ends when the k closest peers seen
/// have all answered, when the operation is satisfied, or when the lookup's time runs out.
/// </summary>
/// <remarks>
/// All state is touched by the driving loop only; requests run concurrently and hand their outcome back through a
/// channel, so no lock is needed. Memory is bounded: replies contribute at most
/// <see cref="LookupOptions.MaxCloserPeersPerReply"/> peers, the candidate set holds at most
/// <see cref="LookupOptions.MaxCandidates"/>, and the set of peers already asked grows by one per request sent.
/// </remarks>
/// <typeparam name="TReply">What one request returns.</typeparam>
internal sealed class LookupQuery<TReply>
{
    private readonly KadId _target;
    private readonly PeerId _self;
    private readonly LookupOptions _options;
    private readonly Func<PeerId, CancellationToken, Task<TReply>> _send;
    private readonly Func<TReply, IReadOnlyList<KadPeer>> _closerPeers;
    private readonly Func<LookupCandidate, TReply, bool> _onReply;
    private readonly IProgress<LookupProgress>? _progress;
    private readonly SortedSet<LookupCandidate> _candidates = new(LookupCandidateDistanceComparer.Instance);
    private readonly Dictionary<PeerId, LookupCandidate> _byPeer = [];
    private readonly HashSet<PeerId> _finished = [];
    private readonly Channel<Completion> _completions = Channel.CreateUnbounded<Completion>(new UnboundedChannelOptions { SingleReader = true });
    private int _inFlight;
    private int _hops;
    private int _messages;
    private int _queried;
    private int _failed;
    private KadId? _closestAnswered;

    /// <param name="target">The key's id (SHA-256 of the key).</param>
    /// <param name="self">Our id, never asked.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="send">Sends the request to one peer.</param>
    /// <param name="closerPeers">The closer peers in a reply.</param>
    /// <param name="onReply">Sees each reply (on the driving loop); returns true when the operation is satisfied.</param>
    /// <param name="progress">Told after each reply or failure.</param>
    public LookupQuery(
        KadId target,
        PeerId self,
        LookupOptions options,
        Func<PeerId, CancellationToken, Task<TReply>> send,
        Func<TReply, IReadOnlyList<KadPeer>> closerPeers,
        Func<LookupCandidate, TReply, bool>? onReply,
        IProgress<LookupProgress>? progress)
    {
        _target = target;
        _self = self;
        _options = options;
        _send = send;
        _closerPeers = closerPeers;
        _onReply = onReply ?? ((_, _) => false);
        _progress = progress;
    }

    /// <summary>Runs the lookup from <paramref name="seeds"/>; returns the k closest peers that answered and the stats.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<(IReadOnlyList<KadPeer> Closest, LookupStats Stats)> RunAsync(IEnumerable<KadPeer> seeds, CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        var started = time.GetTimestamp();
        foreach (var seed in seeds)
        {
            ArgumentNullException.ThrowIfNull(seed, nameof(seeds));
            Offer(seed, hop: 1);
        }
        var termination = LookupTermination.Converged;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(_options.Timeout);
        try
        {
            var satisfied = false;
            while (!satisfied && !HasConverged())
            {
                Launch(stop.Token);
                if (_inFlight == 0)
                {
                    break;
                }
                Completion completion;
                try
                {
                    completion = await _completions.Reader.ReadAsync(stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    termination = LookupTermination.TimedOut;
                    break;
                }
                _inFlight--;
                satisfied = Process(completion);
                _progress?.Report(new LookupProgress(_queried, _failed, _inFlight, _hops, _closestAnswered));
            }
            if (satisfied)
            {
                termination = LookupTermination.Satisfied;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            // Every request ends promptly once cancelled (it awaits the token), so this wait is short.
            while (_inFlight > 0)
            {
                await _completions.Reader.ReadAsync(CancellationToken.None).ConfigureAwait(false);
                _inFlight--;
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        var stats = new LookupStats(_hops, _messages, _queried, _failed, time.GetElapsedTime(started), termination);
        return (ClosestAnswered(), stats);
    }

    /// <summary>True when the k closest candidates (or all, when fewer) have answered.</summary>
    private bool HasConverged()
    {
        var seen = 0;
        foreach (var candidate in _candidates)
        {
            if (seen++ == _options.K)
            {
                break;
            }
            if (candidate.State != LookupCandidateState.Responded)
            {
                return false;
            }
        }
        return true;
    }

    private void Launch(CancellationToken stop)
    {
        while (_inFlight < _options.Alpha && NextToAsk() is { } next)
        {
            if (next.Hop > _options.MaxHops)
            {
                Drop(next);
                continue;
            }
            next.State = LookupCandidateState.Waiting;
            _inFlight++;
            _messages++;
            _hops = Math.Max(_hops, next.Hop);
            _ = RequestAsync(next, stop);
        }
    }

    /// <summary>The closest candidate not asked yet among the k closest, or null.</summary>
    private LookupCandidate? NextToAsk()
    {
        var seen = 0;
        foreach (var candidate in _candidates)
        {
            if (seen++ == _options.K)
            {
                break;
            }
            if (candidate.State == LookupCandidateState.Heard)
            {
                return candidate;
            }
        }
        return null;
    }

    private async Task RequestAsync(LookupCandidate candidate, CancellationToken stop)
    {
        Completion outcome;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop))
        {
            timeout.CancelAfter(_options.RequestTimeout);
            try
            {
                var reply = await _send(candidate.PeerId, timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
                outcome = new Completion(candidate, reply, Failed: false);
            }
            catch (Exception)
            {
                // Any failure (refusal, protocol error, timeout, cancellation) drops the peer from this lookup.
                outcome = new Completion(candidate, default, Failed: true);
            }
        }
        _completions.Writer.TryWrite(outcome);
    }

    /// <summary>Applies one outcome; true when the operation is satisfied.</summary>
    private bool Process(Completion completion)
    {
        var candidate = completion.Candidate;
        if (completion.Failed)
        {
            Drop(candidate);
            return false;
        }
        candidate.State = LookupCandidateState.Responded;
        _queried++;
        if (_closestAnswered is not { } closest || candidate.Distance < closest)
        {
            _closestAnswered = candidate.Distance;
        }
        var reply = completion.Reply!;
        var closer = _closerPeers(reply);
        var take = Math.Min(closer.Count, _options.MaxCloserPeersPerReply);
        for (var i = 0; i < take; i++)
        {
            if (closer[i] is { } peer)
            {
                Offer(peer, candidate.Hop + 1);
            }
        }
        return _onReply(candidate, reply);
    }

    private void Drop(LookupCandidate candidate)
    {
        _failed++;
        _candidates.Remove(candidate);
        _byPeer.Remove(candidate.PeerId);
        _finished.Add(candidate.PeerId);
    }

    private void Offer(KadPeer peer, int hop)
    {
        if (peer.PeerId == _self || _finished.Contains(peer.PeerId))
        {
            return;
        }
        if (_byPeer.TryGetValue(peer.PeerId, out var known))
        {
            if (known.Peer.Addresses.Count == 0 && peer.Addresses.Count > 0)
            {
                known.Peer = peer;
            }
            if (known.State == LookupCandidateState.Heard && hop < known.Hop)
            {
                known.Hop = hop;
            }
            return;
        }
        var candidate = new LookupCandidate(peer, KadId.FromPeerId(peer.PeerId).Xor(_target), hop);
        if (_candidates.Count >= _options.MaxCandidates)
        {
            if (LookupCandidateDistanceComparer.Instance.Compare(candidate, _candidates.Max) > 0 || !TryEvictFarthest())
            {
                return;
            }
        }
        _candidates.Add(candidate);
        _byPeer.Add(candidate.PeerId, candidate);
    }

    /// <summary>Forgets the farthest candidate not waiting for a reply (one that answered is never asked again).</summary>
    private bool TryEvictFarthest()
    {
        foreach (var candidate in _candidates.Reverse())
        {
            if (candidate.State == LookupCandidateState.Waiting)
            {
                continue;
            }
            _candidates.Remove(candidate);
            _byPeer.Remove(candidate.PeerId);
            if (candidate.State == LookupCandidateState.Responded)
            {
                _finished.Add(candidate.PeerId);
            }
            return true;
        }
        return false;
    }

    private List<KadPeer> ClosestAnswered()
    {
        var closest = new List<KadPeer>(_options.K);
        foreach (var candidate in _candidates)
        {
            if (closest.Count == _options.K)
            {
                break;
            }
            if (candidate.State == LookupCandidateState.Responded)
            {
                closest.Add(candidate.Peer);
            }
        }
        return closest;
    }

    private readonly record struct Completion(LookupCandidate Candidate, TReply? Reply, bool Failed);
}
