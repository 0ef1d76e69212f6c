using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Yamux;
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
    YamuxSettings Yamux,
    bool EnablePerf,
    ILoggerFactory? LoggerFactory);
