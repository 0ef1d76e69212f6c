namespace Dione.Kademlia;

/// <summary>A GET_VALUE reply: the record the peer holds for the key (null if none) and the closer peers it knows.</summary>
/// <param name="Record">The record, unvalidated (the caller validates it), whose key equals the requested key.</param>
/// <param name="CloserPeers">Closer peers, cleaned and bounded by <see cref="KadPeerCodec"/>.</param>
public sealed record KadValueReply(Protos.Record? Record, IReadOnlyList<KadPeer> CloserPeers);
