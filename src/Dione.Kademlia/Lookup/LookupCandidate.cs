using Dione.Libp2p.Identity;

namespace Dione.Kademlia.Lookup;

/// <summary>A peer a lookup knows of: its distance to the key, what it is known as, the hop it is asked at, its state.</summary>
internal sealed class LookupCandidate(KadPeer peer, KadId distance, int hop)
{
    public PeerId PeerId => Peer.PeerId;

    /// <summary>The peer as first named with addresses (addresses are filled in when a later entry has them).</summary>
    public KadPeer Peer { get; set; } = peer;

    /// <summary>XOR distance of the peer's id from the key.</summary>
    public KadId Distance { get; } = distance;

    /// <summary>The hop a request to it is, or was, (see <see cref="LookupStats.Hops"/>).</summary>
    public int Hop { get; set; } = hop;

    public LookupCandidateState State { get; set; } = LookupCandidateState.Heard;
}
