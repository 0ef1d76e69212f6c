using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Muxing;
using Dione.Libp2p.Security;
using Dione.Libp2p.Transport;
using Microsoft.Extensions.Logging;

namespace Dione.Libp2p.Host;

/// <summary>Everything a host is built from; filled by <see cref="Libp2pHostBuilder"/>.</summary>
internal sealed record HostOptions(
    PrivateKey Identity,
    IReadOnlyList<Multiaddress> ListenAddresses,
    IReadOnlyDictionary<string, StreamHandler> Handlers,
    string AgentVersion,
    string ProtocolVersion,
    HostLimits Limits,
    IReadOnlyList<ITransport> Transports,
    IReadOnlyList<ISecurityProtocol> Security,
    IReadOnlyList<IStreamMuxer> Muxers,
    bool EnablePerf,
    ILoggerFactory? LoggerFactory,
    PeerStore? SharedPeers);
