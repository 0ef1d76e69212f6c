using Dione.Libp2p.Identity;

namespace Dione.Libp2p.Security;

/// <summary>The result of a security handshake: the secured stream and the peer it authenticated.</summary>
/// <param name="Stream">The secured duplex stream; disposing it disposes the transport below.</param>
/// <param name="RemotePeer">The authenticated remote peer.</param>
/// <param name="RemoteKey">The remote identity key.</param>
/// <param name="Muxer">The stream muxer agreed inside the handshake (Noise's <c>stream_muxers</c> extension, TLS's
/// ALPN), or null when none was: then the muxer is negotiated with multistream-select.</param>
public sealed record SecuredConnection(Stream Stream, PeerId RemotePeer, PublicKey RemoteKey, string? Muxer);
