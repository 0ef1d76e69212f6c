using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Libp2p.Protocols.Identify;

/// <summary>Replaces listen addresses on 0.0.0.0 or :: by the machine's interface addresses with the same port.</summary>
public static class InterfaceAddresses
{
    public static IReadOnlyList<Multiaddress> Expand(IReadOnlyList<Multiaddress> listenAddresses)
    {
        var result = new List<Multiaddress>();
        foreach (var address in listenAddresses)
        {
            var endPoint = address.ToTcpEndPoint();
            if (endPoint is null || !endPoint.Address.Equals(IPAddress.Any) && !endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                result.Add(address);
                continue;
            }
            foreach (var local in LocalAddresses(endPoint.AddressFamily))
            {
                result.Add(Multiaddress.FromTcpEndPoint(new IPEndPoint(local, endPoint.Port)));
            }
        }
        return result.Distinct().ToList();
    }

    private static IEnumerable<IPAddress> LocalAddresses(AddressFamily family)
    {
        IPAddress[] addresses;
        try
        {
            addresses = NetworkInterface.GetAllNetworkInterfaces()
                .Where(i => i.OperationalStatus == OperationalStatus.Up)
                .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                .Select(u => u.Address)
                .Where(a => a.AddressFamily == family && !a.IsIPv6LinkLocal)
                .ToArray();
        }
        catch (NetworkInformationException)
        {
            addresses = [];
        }
        return addresses.Length > 0 ? addresses : [family == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback];
    }
}
