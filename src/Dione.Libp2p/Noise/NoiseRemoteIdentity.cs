using Dione.Libp2p.Identity;

namespace Dione.Libp2p.Noise;

/// <summary>What an authenticated handshake payload says about the remote peer.</summary>
/// <param name="Key">The remote libp2p identity key.</param>
/// <param name="PeerId">The peer id derived from <paramref name="Key"/>.</param>
/// <param name="StreamMuxers">The muxers the remote offered in its <c>stream_muxers</c> extension (possibly empty).</param>
internal sealed record NoiseRemoteIdentity(PublicKey Key, PeerId PeerId, IReadOnlyList<string> StreamMuxers);
