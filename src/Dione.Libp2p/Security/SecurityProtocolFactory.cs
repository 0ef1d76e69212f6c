using Dione.Libp2p.Identity;

namespace Dione.Libp2p.Security;

/// <summary>
/// Makes a host's instance of a security protocol once the host's identity and muxers are known: the identity key
/// signs the handshake, and the muxer ids (most preferred first) may be offered inside it to save a round trip.
/// </summary>
public delegate ISecurityProtocol SecurityProtocolFactory(PrivateKey identity, IReadOnlyList<string> muxerIds);
