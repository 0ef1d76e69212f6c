using System.Net;
using System.Net.Sockets;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Kademlia.Dht;

/// <summary>
/// Whether a multiaddress is reachable from the public internet, as go-multiaddr's <c>manet.IsPublicAddr</c> judges:
/// IP addresses outside the private, loopback, link-local, shared (CGNAT), documentation, multicast and unspecified
/// ranges, and DNS names other than <c>localhost</c> and <c>.local</c> ones.
/// </summary>
internal static class PublicAddress
{
    public static bool IsPublic(Multiaddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Components.Count == 0)
        {
            return false;
        }
        var first = address.Components[0];
        if (first.Protocol == MultiaddrProtocols.Ip4 || first.Protocol == MultiaddrProtocols.Ip6)
        {
            return IsPublic(new IPAddress(first.Value));
        }
        if (first.Protocol == MultiaddrProtocols.Dns || first.Protocol == MultiaddrProtocols.Dns4
            || first.Protocol == MultiaddrProtocols.Dns6 || first.Protocol == MultiaddrProtocols.Dnsaddr)
        {
            var name = (first.ValueText ?? string.Empty).TrimEnd('.');
            return name.Length > 0
                && !name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                && !name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
                && !name.EndsWith(".local", StringComparison.OrdinalIgnoreCase);
        }
        return false;
    }

    public static bool IsPublic(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }
        if (IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
        {
            return false;
        }
        var b = ip.GetAddressBytes();
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            return !(b[0] == 0 || b[0] == 10 || b[0] >= 224
                || (b[0] == 100 && (b[1] & 0xC0) == 64)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && (b[1] & 0xF0) == 16)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && (b[2] == 0 || b[2] == 2))
                || (b[0] == 198 && (b[1] & 0xFE) == 18)
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }
        return !(ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal || ip.IsIPv6Multicast || ip.IsIPv6UniqueLocal
            || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
            || b[0] == 0);
    }
}
