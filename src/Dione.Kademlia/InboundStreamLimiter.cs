using Dione.Libp2p.Identity;

namespace Dione.Kademlia;

/// <summary>
/// Counts the inbound streams being served, per peer and in total, and refuses those beyond either bound.
/// </summary>
internal sealed class InboundStreamLimiter
{
    private readonly object _gate = new();
    private readonly Dictionary<PeerId, int> _open = [];
    private readonly int _maxPerPeer;
    private readonly int _maxTotal;
    private int _total;

    public InboundStreamLimiter(int maxPerPeer, int maxTotal)
    {
        _maxPerPeer = maxPerPeer;
        _maxTotal = maxTotal;
    }

    /// <summary>Streams being served now, over all peers.</summary>
    public int TotalCount
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
    /// Takes a slot for <paramref name="peer"/>; false when it already has the most allowed per peer, or when the
    /// total is at its bound.
    /// </summary>
    public bool TryEnter(PeerId peer)
    {
        lock (_gate)
        {
            var open = _open.GetValueOrDefault(peer);
            if (open >= _maxPerPeer || _total >= _maxTotal)
            {
                return false;
            }
            _open[peer] = open + 1;
            _total++;
            return true;
        }
    }

    /// <summary>Gives back a slot taken by <see cref="TryEnter"/>.</summary>
    public void Exit(PeerId peer)
    {
        lock (_gate)
        {
            var open = _open.GetValueOrDefault(peer);
            if (open <= 0)
            {
                return;
            }
            _total--;
            if (open == 1)
            {
                _open.Remove(peer);
            }
            else
            {
                _open[peer] = open - 1;
            }
        }
    }

    public int OpenCount(PeerId peer)
    {
        lock (_gate)
        {
            return _open.GetValueOrDefault(peer);
        }
    }
}
