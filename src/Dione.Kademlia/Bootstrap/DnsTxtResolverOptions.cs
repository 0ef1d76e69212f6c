using System.Net;

namespace Dione.Kademlia.Bootstrap;

/// <summary>Settings of <see cref="DnsTxtResolver"/>; the defaults follow go's resolver where it has one.</summary>
public sealed class DnsTxtResolverOptions
{
    /// <summary>The servers to ask, in order. Empty (the default): read from <see cref="ResolvConfPath"/>.</summary>
    public IReadOnlyList<IPEndPoint> NameServers { get; init; } = [];

    /// <summary>Where the servers are read from when <see cref="NameServers"/> is empty.</summary>
    public string ResolvConfPath { get; init; } = ResolvConf.DefaultPath;

    /// <summary>How long one query to one server may take (UDP, then TCP if the answer was truncated).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How many rounds over all servers are made before giving up.</summary>
    public int Attempts { get; init; } = 2;

    /// <summary>The EDNS(0) UDP payload size advertised (go uses 1232); 0 sends no OPT record (answers then fit in 512 bytes or are truncated).</summary>
    public ushort UdpPayloadSize { get; init; } = 1232;

    /// <summary>Datagrams that are not our answer (wrong id or question, unparsable) ignored per query before it fails.</summary>
    public int MaxIgnoredDatagrams { get; init; } = 16;
}
