namespace Dione.Libp2p.Multiformats.Multiaddr;

/// <summary>The protocols this implementation understands, codes from multiformats/multiaddr protocols.csv.</summary>
public static class MultiaddrProtocols
{
    public static readonly MultiaddrProtocol Ip4 = new(4, "ip4", 32, new Ip4Codec());
    public static readonly MultiaddrProtocol Tcp = new(6, "tcp", 16, new PortCodec());
    public static readonly MultiaddrProtocol Dns = new(53, "dns", MultiaddrProtocol.VariableSize, new Utf8Codec());
    public static readonly MultiaddrProtocol Dns4 = new(54, "dns4", MultiaddrProtocol.VariableSize, new Utf8Codec());
    public static readonly MultiaddrProtocol Dns6 = new(55, "dns6", MultiaddrProtocol.VariableSize, new Utf8Codec());
    public static readonly MultiaddrProtocol Dnsaddr = new(56, "dnsaddr", MultiaddrProtocol.VariableSize, new Utf8Codec());
    public static readonly MultiaddrProtocol Ip6 = new(41, "ip6", 128, new Ip6Codec());
    public static readonly MultiaddrProtocol Ip6Zone = new(42, "ip6zone", MultiaddrProtocol.VariableSize, new Utf8Codec());
    public static readonly MultiaddrProtocol Udp = new(273, "udp", 16, new PortCodec());
    public static readonly MultiaddrProtocol P2pCircuit = new(290, "p2p-circuit", 0);
    public static readonly MultiaddrProtocol P2p = new(421, "p2p", MultiaddrProtocol.VariableSize, new PeerIdCodec());
    public static readonly MultiaddrProtocol Tls = new(448, "tls", 0);
    public static readonly MultiaddrProtocol Sni = new(449, "sni", MultiaddrProtocol.VariableSize, new Utf8Codec());
    public static readonly MultiaddrProtocol Noise = new(454, "noise", 0);
    public static readonly MultiaddrProtocol Quic = new(460, "quic", 0);
    public static readonly MultiaddrProtocol QuicV1 = new(461, "quic-v1", 0);
    public static readonly MultiaddrProtocol Ws = new(477, "ws", 0);
    public static readonly MultiaddrProtocol Wss = new(478, "wss", 0);

    private static readonly MultiaddrProtocol[] All =
    [
        Ip4, Tcp, Dns, Dns4, Dns6, Dnsaddr, Ip6, Ip6Zone, Udp, P2pCircuit, P2p, Tls, Sni, Noise, Quic, QuicV1, Ws, Wss,
    ];

    private static readonly Dictionary<string, MultiaddrProtocol> ByNameTable = BuildByName();
    private static readonly Dictionary<ulong, MultiaddrProtocol> ByCodeTable = All.ToDictionary(p => p.Code);

    public static MultiaddrProtocol? FindByName(string name) => ByNameTable.GetValueOrDefault(name);

    public static MultiaddrProtocol? FindByCode(ulong code) => ByCodeTable.GetValueOrDefault(code);

    private static Dictionary<string, MultiaddrProtocol> BuildByName()
    {
        var table = All.ToDictionary(p => p.Name, StringComparer.Ordinal);
        table["ipfs"] = P2p; // the legacy name is still accepted in text form
        return table;
    }
}
