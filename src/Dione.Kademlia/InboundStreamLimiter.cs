using Dione.Libp2p.Identity;

namespace Dione.Kademlia;

/// <summary>Counts the inbound streams each peer has open and refuses those beyond a bound.</summary>
internal sealed class InboundStreamLimiter
{
    private readonly object _gate = new();
    private readonly Dictionary<PeerId, int> _open = [];
    private readonly int _maxPerPeer;

    public InboundStreamLimiter(int maxPerPeer) => _maxPerPeer = maxPerPeer;

    /// <summary>Takes a slot for <paramref name="peer"/>; false when it already has the most allowed.</summary>
    public bool TryEnter(PeerId peer)
    {
        lock (_gate)
        {
            var open = _open.GetValueOrDefault(peer);
            if (open >= _maxPerPeer)
            {
                return false;
            }
            _open[peer] = open + 1;
            return true;
        }
    }

    /// <summary>Gives back a slot taken by <see cref="TryEnter"/>.</summary>
    public void Exit(PeerId peer)
    {
        lock (_gate)
        {
            var open = _open.GetValueOrDefault(peer) - 1;
            if (open <= 0)
            {
                _open.Remove(peer);
            }
            else
            {
                _open[peer] = open;
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
