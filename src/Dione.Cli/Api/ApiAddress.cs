using System.Net;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Cli.Api;

/// <summary>The API's listen address: a TCP multiaddr on a loopback IP only (127.0.0.0/8 or ::1); port 0 picks a free one.</summary>
public static class ApiAddress
{
    public const string Default = "/ip4/127.0.0.1/tcp/5101";

    /// <exception cref="CliException">not a TCP multiaddr, or not on a loopback address.</exception>
    public static IPEndPoint Parse(string text)
    {
        if (!Multiaddress.TryParse(text, out var address) || address!.ToTcpEndPoint() is not { } endPoint)
        {
            throw new CliException($"invalid API address '{text}': expected /ip4/127.0.0.1/tcp/PORT");
        }
        if (!IPAddress.IsLoopback(endPoint.Address))
        {
            throw new CliException($"refusing to serve the API on '{text}': only loopback addresses (127.0.0.1, ::1) are allowed");
        }
        return endPoint;
    }
}
