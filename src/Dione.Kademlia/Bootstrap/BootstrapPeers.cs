using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Libp2p.Transport.Dnsaddr;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dione.Kademlia.Bootstrap;

/// <summary>Well-known bootstrap peer lists, and how a list becomes peers to dial.</summary>
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

    /// <summary>
    /// Resolves the <c>/dnsaddr</c> addresses of a bootstrap list with <paramref name="resolver"/> and groups the outcome
    /// by the trailing <c>/p2p/</c> peer id: peers in order of first appearance, each with its addresses without that
    /// component, without duplicates, at most <see cref="DnsaddrResolverOptions.MaxResults"/> of them. Addresses with
    /// no trailing peer id, or nothing before it, are dropped.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<IReadOnlyList<BootstrapPeer>> ResolveAsync(
        DnsaddrResolver resolver, IEnumerable<Multiaddress> addresses, ILogger? logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        logger ??= NullLogger.Instance;
        var resolved = await resolver.ResolveAllAsync(addresses, cancellationToken).ConfigureAwait(false);
        var dialable = new List<(PeerId Peer, Multiaddress Address)>();
        foreach (var address in resolved)
        {
            if (address.Components.Count < 2 || address.Components[^1].Protocol != MultiaddrProtocols.P2p)
            {
                BootstrapLog.NoPeerId(logger, address.ToString());
                continue;
            }
            dialable.Add((PeerId.FromBytes(address.Components[^1].Value), address.WithoutPeerId()));
        }
        return
        [
            .. dialable.GroupBy(d => d.Peer).Select(group => new BootstrapPeer(
                group.Key, [.. group.Select(d => d.Address).Distinct().Take(resolver.Options.MaxResults)])),
        ];
    }
}
