namespace Dione.Kademlia.Lookup;

/// <summary>A find-peer outcome: the peer with the addresses learnt (null when not found) and the lookup's cost.</summary>
public sealed record FindPeerResult(KadPeer? Peer, LookupStats Stats);
