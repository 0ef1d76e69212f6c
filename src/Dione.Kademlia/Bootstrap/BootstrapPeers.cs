using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Kademlia.Bootstrap;

/// <summary>Well-known bootstrap peer lists.</summary>
public static class BootstrapPeers
{
    /// <summary>
    /// The list kubo falls back to (boxo autoconf <c>FallbackBootstrapPeers</c>, the kubo 0.36 list): four
    /// <c>/dnsaddr/bootstrap.libp2p.io</c> peers, the js-libp2p Amino bootstrapper at <c>va1</c>, and mars.i.ipfs.io
    /// over TCP and QUIC v1.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultText = Array.AsReadOnly(new[]
    {
        "/dnsaddr/bootstrap.libp2p.io/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN",
        "/dnsaddr/bootstrap.libp2p.io/p2p/QmQCU2EcMqAqQPR2i9bChDtGNJchTbq5TbXJJ16u19uLTa",
        "/dnsaddr/bootstrap.libp2p.io/p2p/QmbLHAnMoJPWSCR5Zhtx6BHJX9KiKNN6tpvbUcqanj75Nb",
        "/dnsaddr/bootstrap.libp2p.io/p2p/QmcZf59bWwK5XFi76CZX8cbJ4BhTzzA3gU1ZjYZcYW3dwt",
        "/dnsaddr/va1.bootstrap.libp2p.io/p2p/12D3KooWKnDdG3iXw9eTFijk3EWSunZcFi54Zka4wmtqtt6rPxc8",
        "/ip4/104.131.131.82/tcp/4001/p2p/QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ",
        "/ip4/104.131.131.82/udp/4001/quic-v1/p2p/QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ",
    });

    /// <summary><see cref="DefaultText"/> parsed.</summary>
    public static readonly IReadOnlyList<Multiaddress> Default = Array.AsReadOnly(DefaultText.Select(Multiaddress.Parse).ToArray());
}
