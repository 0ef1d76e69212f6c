using System.Reflection;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Muxing;
using Dione.Libp2p.Noise;
using Dione.Libp2p.Security;
using Dione.Libp2p.Transport;
using Dione.Libp2p.Yamux;
using Microsoft.Extensions.Logging;

namespace Dione.Libp2p.Host;

/// <summary>
/// Builds a <see cref="Libp2pHost"/>: identity, listen addresses, transports, security protocols and stream muxers
/// (ordered lists, most preferred first), protocols, limits and logging. By default: TCP, Noise and Yamux.
/// </summary>
public sealed class Libp2pHostBuilder
{
    /// <summary>
    /// The agent version we announce in identify by default: "dione/" and the version this assembly was built as
    /// (VersionPrefix in Directory.Build.props), without the "+commit" build metadata the SDK appends.
    /// </summary>
    public static readonly string DefaultAgentVersion = "dione/" + BuiltVersion();

    /// <summary>The protocol version go-libp2p, js-libp2p and kubo announce.</summary>
    public const string DefaultProtocolVersion = "ipfs/0.1.0";

    private readonly List<Multiaddress> _listenAddresses = [];
    private readonly Dictionary<string, StreamHandler> _handlers = new(StringComparer.Ordinal);
    private PrivateKey? _identity;
    private string _agentVersion = DefaultAgentVersion;
    private string _protocolVersion = DefaultProtocolVersion;
    private HostLimits _limits = new();
    private YamuxSettings _yamux = new();
    private ITransport[]? _transports;
    private SecurityProtocolFactory[]? _security;
    private IStreamMuxer[]? _muxers;
    private ILoggerFactory? _loggerFactory;
    private bool _enablePerf = true;
    private PeerStore? _peers;

    /// <summary>The host's key; a new Ed25519 key when not set.</summary>
    public Libp2pHostBuilder WithIdentity(PrivateKey identity)
    {
        _identity = identity;
        return this;
    }

    public Libp2pHostBuilder ListenOn(Multiaddress address)
    {
        _listenAddresses.Add(address);
        return this;
    }

    public Libp2pHostBuilder ListenOn(string address) => ListenOn(Multiaddress.Parse(address));

    public Libp2pHostBuilder WithProtocol(string protocol, StreamHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(protocol);
        _handlers[protocol] = handler;
        return this;
    }

    public Libp2pHostBuilder WithAgentVersion(string agentVersion)
    {
        _agentVersion = agentVersion;
        return this;
    }

    public Libp2pHostBuilder WithProtocolVersion(string protocolVersion)
    {
        _protocolVersion = protocolVersion;
        return this;
    }

    public Libp2pHostBuilder WithLimits(HostLimits limits)
    {
        limits.Validate();
        _limits = limits;
        return this;
    }

    /// <summary>Settings of the default Yamux muxer (ignored when <see cref="WithMuxers"/> lists the muxers).</summary>
    public Libp2pHostBuilder WithYamuxSettings(YamuxSettings settings)
    {
        _yamux = settings;
        return this;
    }

    /// <summary>The transports to dial and listen with; for an address the first that handles it is used. Default: TCP.</summary>
    public Libp2pHostBuilder WithTransports(params ITransport[] transports)
    {
        ArgumentOutOfRangeException.ThrowIfZero(transports.Length);
        _transports = [.. transports];
        return this;
    }

    /// <summary>The security protocols, most preferred first: proposed in this order when dialing, any of them
    /// accepted when listening. Default: Noise (<see cref="NoiseSecurityProtocol.Factory"/>).</summary>
    public Libp2pHostBuilder WithSecurity(params SecurityProtocolFactory[] protocols)
    {
        ArgumentOutOfRangeException.ThrowIfZero(protocols.Length);
        _security = [.. protocols];
        return this;
    }

    /// <summary>The stream muxers, most preferred first: proposed in this order when dialing (and offered inside the
    /// security handshake where it can carry them), any of them accepted when listening. Default: Yamux with the
    /// settings of <see cref="WithYamuxSettings"/>.</summary>
    public Libp2pHostBuilder WithMuxers(params IStreamMuxer[] muxers)
    {
        ArgumentOutOfRangeException.ThrowIfZero(muxers.Length);
        _muxers = [.. muxers];
        return this;
    }

    /// <summary>Whether to serve <c>/perf/1.0.0</c> (on by default, as it costs nothing until a peer asks).</summary>
    public Libp2pHostBuilder WithPerf(bool enabled)
    {
        _enablePerf = enabled;
        return this;
    }

    /// <summary>
    /// Uses <paramref name="peers"/> (another host's) instead of a peer store of its own: a second host of one node,
    /// dialing under another identity, then reaches every peer the first one knows addresses for.
    /// </summary>
    public Libp2pHostBuilder WithPeerStore(PeerStore peers)
    {
        ArgumentNullException.ThrowIfNull(peers);
        _peers = peers;
        return this;
    }

    public Libp2pHostBuilder WithLoggerFactory(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
        return this;
    }

    public Libp2pHost Build()
    {
        var identity = _identity ?? PrivateKey.Generate(KeyType.Ed25519);
        IStreamMuxer[] muxers = _muxers ?? [new YamuxMuxer(_yamux, _loggerFactory)];
        string[] muxerIds = [.. muxers.Select(m => m.ProtocolId)];
        var security = (_security ?? [NoiseSecurityProtocol.Factory]).Select(create => create(identity, muxerIds)).ToArray();
        return new(new HostOptions(
            identity,
            [.. _listenAddresses],
            new Dictionary<string, StreamHandler>(_handlers, StringComparer.Ordinal),
            _agentVersion,
            _protocolVersion,
            _limits,
            _transports ?? [new TcpTransport()],
            security,
            muxers,
            _enablePerf,
            _loggerFactory,
            _peers));
    }

    private static string BuiltVersion()
    {
        var informational = typeof(Libp2pHostBuilder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var version = informational ?? typeof(Libp2pHostBuilder).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        var metadata = version.IndexOf('+', StringComparison.Ordinal);
        return metadata < 0 ? version : version[..metadata];
    }
}
