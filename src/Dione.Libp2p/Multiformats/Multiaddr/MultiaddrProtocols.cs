namespace Dione.Libp2p.Multiformats.Multiaddr;

/// <summary>
/// The protocols this implementation understands, codes and sizes from multiformats/multiaddr protocols.csv.
/// Not supported (parsing fails with <see cref="FormatException"/>): onion, onion3, garlic32/64, unix, http-path,
/// memory and the deprecated webrtc-star/websocket-star/stardust entries.
/// </summary>
public static class MultiaddrProtocols
{
    private const int Variable = MultiaddrProtocol.VariableSize;

    public static readonly MultiaddrProtocol Ip4 = new(4, "ip4", 32, new Ip4Codec());
    public static readonly MultiaddrProtocol Tcp = new(6, "tcp", 16, new PortCodec());
    public static readonly MultiaddrProtocol Dccp = new(33, "dccp", 16, new PortCodec());
    public static readonly MultiaddrProtocol Ip6 = new(41, "ip6", 128, new Ip6Codec());
    public static readonly MultiaddrProtocol Ip6Zone = new(42, "ip6zone", Variable, new NameCodec());
    public static readonly MultiaddrProtocol IpCidr = new(43, "ipcidr", 8, new IpCidrCodec());
    public static readonly MultiaddrProtocol Dns = new(53, "dns", Variable, new NameCodec());
    public static readonly MultiaddrProtocol Dns4 = new(54, "dns4", Variable, new NameCodec());
    public static readonly MultiaddrProtocol Dns6 = new(55, "dns6", Variable, new NameCodec());
    public static readonly MultiaddrProtocol Dnsaddr = new(56, "dnsaddr", Variable, new NameCodec());
    public static readonly MultiaddrProtocol Sctp = new(132, "sctp", 16, new PortCodec());
    public static readonly MultiaddrProtocol Udp = new(273, "udp", 16, new PortCodec());
    public static readonly MultiaddrProtocol WebRtcDirect = new(280, "webrtc-direct", 0);
    public static readonly MultiaddrProtocol WebRtc = new(281, "webrtc", 0);
    public static readonly MultiaddrProtocol P2pCircuit = new(290, "p2p-circuit", 0);
    public static readonly MultiaddrProtocol Udt = new(301, "udt", 0);
    public static readonly MultiaddrProtocol Utp = new(302, "utp", 0);
    public static readonly MultiaddrProtocol P2p = new(421, "p2p", Variable, new PeerIdCodec());
    public static readonly MultiaddrProtocol Https = new(443, "https", 0);
    public static readonly MultiaddrProtocol Tls = new(448, "tls", 0);
    public static readonly MultiaddrProtocol Sni = new(449, "sni", Variable, new NameCodec());
    public static readonly MultiaddrProtocol Noise = new(454, "noise", 0);
    public static readonly MultiaddrProtocol Quic = new(460, "quic", 0);
    public static readonly MultiaddrProtocol QuicV1 = new(461, "quic-v1", 0);
    public static readonly MultiaddrProtocol WebTransport = new(465, "webtransport", 0);
    public static readonly MultiaddrProtocol CertHash = new(466, "certhash", Variable, new CertHashCodec());
    public static readonly MultiaddrProtocol Ws = new(477, "ws", 0);
    public static readonly MultiaddrProtocol Wss = new(478, "wss", 0);
    public static readonly MultiaddrProtocol Http = new(480, "http", 0);

    private static readonly MultiaddrProtocol[] All =
    [
        Ip4, Tcp, Dccp, Ip6, Ip6Zone, IpCidr, Dns, Dns4, Dns6, Dnsaddr, Sctp, Udp, WebRtcDirect, WebRtc, P2pCircuit,
        Udt, Utp, P2p, Https, Tls, Sni, Noise, Quic, QuicV1, WebTransport, CertHash, Ws, Wss, Http,
    ];

    private static readonly Dictionary<string, MultiaddrProtocol> ByNameTable = BuildByName();
    private static readonly Dictionary<ulong, MultiaddrProtocol> ByCodeTable = All.ToDictionary(p => p.Code);

    /// <summary>Every supported protocol.</summary>
    public static IReadOnlyList<MultiaddrProtocol> Supported { get; } = Array.AsReadOnly(All);

    /// <summary>The protocol named <paramref name="name"/> (case-sensitive; "ipfs" is accepted for p2p), or null.</summary>
    public static MultiaddrProtocol? FindByName(string name) => ByNameTable.GetValueOrDefault(name);

    public static MultiaddrProtocol? FindByCode(ulong code) => ByCodeTable.GetValueOrDefault(code);

    private static Dictionary<string, MultiaddrProtocol> BuildByName()
    {
        var table = All.ToDictionary(p => p.Name, StringComparer.Ordinal);
        table["ipfs"] = P2p; // the legacy name is still accepted in text form
        return table;
    }
}
