using System.Net;
using System.Net.Sockets;
using Dione.Kademlia.Dht;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Kademlia;

/// <summary>
/// Which peer addresses the DHT learns, stores and serves. An address is <em>usable</em> when someone could dial it:
/// it has a transport after its IP or DNS part, its IP is not unspecified (<c>0.0.0.0</c>, <c>::</c>), multicast or
/// the IPv4 broadcast address, its TCP/UDP port is not 0, its DNS name is not empty, and it is not a relay
/// (<c>/p2p-circuit</c>) address, since Dione has no relay transport. On a DHT that does not allow private addresses
/// (see <see cref="KadOptions.AllowsPrivateAddresses"/>), an address must also be public
/// (<see cref="PublicAddress.IsPublic(Multiaddress)"/>), as go's WAN DHT filters with <c>manet.IsPublicAddr</c>.
/// </summary>
public static class KadAddressFilter
{
    /// <summary>True when <paramref name="address"/> could be dialled by someone.</summary>
    public static bool IsUsable(Multiaddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var components = address.Components;
        if (components.Count < 2)
        {
            return false;
        }
        foreach (var component in components)
        {
            if (component.Protocol == MultiaddrProtocols.P2pCircuit)
            {
                return false;
            }
            if ((component.Protocol == MultiaddrProtocols.Tcp || component.Protocol == MultiaddrProtocols.Udp)
                && component.Value.Length == 2 && component.Value[0] == 0 && component.Value[1] == 0)
            {
                return false;
            }
        }
        var first = components[0];
        if (first.Protocol == MultiaddrProtocols.Ip4 || first.Protocol == MultiaddrProtocols.Ip6)
        {
            return IsUsable(new IPAddress(first.Value));
        }
        if (first.Protocol == MultiaddrProtocols.Dns || first.Protocol == MultiaddrProtocols.Dns4
            || first.Protocol == MultiaddrProtocols.Dns6 || first.Protocol == MultiaddrProtocols.Dnsaddr)
        {
            return !string.IsNullOrEmpty((first.ValueText ?? string.Empty).TrimEnd('.'));
        }
        return false;
    }

    /// <summary>
    /// True when <paramref name="address"/> is reachable from the public internet as far as its form tells (a public
    /// IP, or a DNS name other than <c>localhost</c> and <c>.local</c> ones).
    /// </summary>
    public static bool IsPublic(Multiaddress address) => PublicAddress.IsPublic(address);

    /// <summary>True when <paramref name="address"/> is usable and, unless <paramref name="allowPrivate"/>, public.</summary>
    public static bool IsAllowed(Multiaddress address, bool allowPrivate) =>
        IsUsable(address) && (allowPrivate || PublicAddress.IsPublic(address));

    /// <summary>The allowed addresses among <paramref name="addresses"/>, in order.</summary>
    public static List<Multiaddress> Filter(IEnumerable<Multiaddress> addresses, bool allowPrivate)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return [.. addresses.Where(a => IsAllowed(a, allowPrivate))];
    }

    private static bool IsUsable(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }
        if (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) || ip.Equals(IPAddress.Broadcast))
        {
            return false;
        }
        return ip.AddressFamily == AddressFamily.InterNetwork
            ? ip.GetAddressBytes()[0] is < 224 or >= 240
            : !ip.IsIPv6Multicast;
    }
}
