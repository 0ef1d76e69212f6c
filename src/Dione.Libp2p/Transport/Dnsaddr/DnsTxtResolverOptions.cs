using System.Net;

namespace Dione.Libp2p.Transport.Dnsaddr;

/// <summary>Settings of <see cref="DnsTxtResolver"/>.</summary>
public sealed class DnsTxtResolverOptions
{
    /// <summary>The servers to ask, in order. Empty (the default): the system's.</summary>
    public IReadOnlyList<IPEndPoint> NameServers { get; init; } = [];

    /// <summary>How long one query to one server may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How many times each server is asked before moving on to the next (a timeout, network error or server failure asks again; a refusal does not).</summary>
    public int Attempts { get; init; } = 2;

    /// <summary>The EDNS(0) UDP payload size advertised (go uses 1232, the DNS flag day 2020 value); 512 or less sends no OPT record.</summary>
    public int UdpPayloadSize { get; init; } = 1232;
}
