using System.Net;
using System.Net.Sockets;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Kademlia;

/// <summary>
/// The IP group of an address, for the routing table's diversity limit, as go-libp2p-kbucket's peerdiversity groups:
/// an IPv4 address by its /16, or by its /8 in the legacy class A blocks held by one organisation (12, 17, 19, 38, 48,
/// 53, 56, 73); an IPv6 address by its /32 (go groups IPv6 by autonomous system, for which Dione has no table).
/// </summary>
public static class IpGroup
{
    private static readonly byte[] LegacyClassA = [12, 17, 19, 38, 48, 53, 56, 73];

    /// <summary>The group of <paramref name="ip"/>, such as <c>203.0.0.0/16</c>.</summary>
    public static string Of(IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }
        var bytes = ip.GetAddressBytes();
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            return Array.IndexOf(LegacyClassA, bytes[0]) >= 0 ? $"{bytes[0]}.0.0.0/8" : $"{bytes[0]}.{bytes[1]}.0.0/16";
        }
        return $"{bytes[0]:x2}{bytes[1]:x2}:{bytes[2]:x2}{bytes[3]:x2}::/32";
    }

    /// <summary>The group of the IP address <paramref name="address"/> starts with, or null when it has none.</summary>
    public static string? Of(Multiaddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Components.Count == 0)
        {
            return null;
        }
        var first = address.Components[0];
        return first.Protocol == MultiaddrProtocols.Ip4 || first.Protocol == MultiaddrProtocols.Ip6
            ? Of(new IPAddress(first.Value))
            : null;
    }
}
