using System.Net;
using System.Text;

namespace Dione.Kademlia.Bootstrap;

/// <summary>
/// Name servers from a resolv.conf file (resolv.conf(5)): the first three <c>nameserver</c> lines, as glibc and go
/// read them, on port 53. When the file is missing, unreadable or names no server, the local resolver is assumed
/// (127.0.0.1 and ::1), as glibc does.
/// </summary>
public static class ResolvConf
{
    /// <summary>The usual location.</summary>
    public const string DefaultPath = "/etc/resolv.conf";

    /// <summary>At most this many servers are taken (glibc's MAXNS).</summary>
    public const int MaxNameServers = 3;

    /// <summary>Only the first 64 KiB of the file are read.</summary>
    public const int MaxFileLength = 64 * 1024;

    public const int DnsPort = 53;

    /// <summary>The servers assumed when the file gives none.</summary>
    public static IReadOnlyList<IPEndPoint> Fallback =>
        [new IPEndPoint(IPAddress.Loopback, DnsPort), new IPEndPoint(IPAddress.IPv6Loopback, DnsPort)];

    /// <summary>Reads the name servers from <paramref name="path"/>.</summary>
    public static IReadOnlyList<IPEndPoint> ReadNameServers(string path = DefaultPath)
    {
        string text;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var buffer = new byte[MaxFileLength];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = file.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }
            text = Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return Fallback;
        }
        var servers = ParseNameServers(text);
        return servers.Count > 0 ? servers : Fallback;
    }

    /// <summary>The name servers listed in resolv.conf text; comments start with '#' or ';'.</summary>
    public static IReadOnlyList<IPEndPoint> ParseNameServers(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var servers = new List<IPEndPoint>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine;
            var comment = line.IndexOfAny(['#', ';']);
            if (comment >= 0)
            {
                line = line[..comment];
            }
            var fields = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && fields[0] == "nameserver" && IPAddress.TryParse(fields[1], out var address))
            {
                servers.Add(new IPEndPoint(address, DnsPort));
                if (servers.Count == MaxNameServers)
                {
                    break;
                }
            }
        }
        return servers;
    }
}
