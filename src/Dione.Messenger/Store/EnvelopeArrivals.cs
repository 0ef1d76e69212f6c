using Dione.Libp2p.Identity;

namespace Dione.Messenger.Store;

/// <summary>
/// FETCH requests waiting for an envelope to be stored under one of their addresses: registered per address, woken
/// by <see cref="Notify"/>, bounded per peer and in total so waiting requests cannot pile up.
/// </summary>
public sealed class EnvelopeArrivals
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<Waiter>> _byAddress = new(StringComparer.Ordinal);
    private readonly Dictionary<PeerId, int> _perPeer = [];
    private int _total;

    public EnvelopeArrivals(int maxPerPeer = 8, int maxTotal = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerPeer, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTotal, maxPerPeer);
        MaxPerPeer = maxPerPeer;
        MaxTotal = maxTotal;
    }

    public int MaxPerPeer { get; }

    public int MaxTotal { get; }

    /// <summary>Requests waiting now.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>
    /// Registers a wait by <paramref name="peer"/> for any of <paramref name="addresses"/>; false when the peer or the
    /// node already has the most waits allowed. Dispose the registration when done.
    /// </summary>
    public bool TryRegister(PeerId peer, IReadOnlyList<ReadOnlyMemory<byte>> addresses, out Registration registration)
    {
        var waiter = new Waiter(peer, addresses.Select(a => Convert.ToHexString(a.Span)).Distinct().ToList());
        lock (_gate)
        {
            var mine = _perPeer.GetValueOrDefault(peer);
            if (mine >= MaxPerPeer || _total >= MaxTotal)
            {
                registration = default;
                return false;
            }
            _perPeer[peer] = mine + 1;
            _total++;
            foreach (var key in waiter.Keys)
            {
                (_byAddress.TryGetValue(key, out var list) ? list : _byAddress[key] = []).Add(waiter);
            }
        }
        registration = new Registration(this, waiter);
        return true;
    }

    /// <summary>Wakes every request waiting for <paramref name="address"/>.</summary>
    public void Notify(ReadOnlySpan<byte> address)
    {
        List<Waiter>? woken;
        lock (_gate)
        {
            _byAddress.TryGetValue(Convert.ToHexString(address), out woken);
            woken = woken is null ? null : [.. woken];
        }
        foreach (var waiter in woken ?? [])
        {
            waiter.Arrived.TrySetResult();
        }
    }

    private void Unregister(Waiter waiter)
    {
        lock (_gate)
        {
            foreach (var key in waiter.Keys)
            {
                if (_byAddress.TryGetValue(key, out var list) && list.Remove(waiter) && list.Count == 0)
                {
                    _byAddress.Remove(key);
                }
            }
            var left = _perPeer.GetValueOrDefault(waiter.Peer) - 1;
            if (left <= 0)
            {
                _perPeer.Remove(waiter.Peer);
            }
            else
            {
                _perPeer[waiter.Peer] = left;
            }
            _total--;
        }
    }

    /// <summary>A registered wait: <see cref="Arrived"/> completes when an envelope comes; disposing unregisters it.</summary>
    public readonly struct Registration : IDisposable
    {
        private readonly EnvelopeArrivals? _owner;
        private readonly Waiter? _waiter;

        internal Registration(EnvelopeArrivals owner, Waiter waiter)
        {
            _owner = owner;
            _waiter = waiter;
        }

        public Task Arrived => _waiter?.Arrived.Task ?? Task.CompletedTask;

        public void Dispose()
        {
            if (_owner is not null && _waiter is not null)
            {
                _owner.Unregister(_waiter);
            }
        }
    }

    internal sealed class Waiter(PeerId peer, List<string> keys)
    {
        public PeerId Peer { get; } = peer;

        public List<string> Keys { get; } = keys;

        public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
