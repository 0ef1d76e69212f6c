using Microsoft.Extensions.Logging;

namespace Dione.Kademlia.Bootstrap;

internal static partial class BootstrapLog
{
    [LoggerMessage(1, LogLevel.Debug, "DNS query for {Name} to {Server} failed: {Reason}")]
    public static partial void QueryFailed(ILogger logger, string name, string server, string reason);

    [LoggerMessage(2, LogLevel.Debug, "DNS answer for {Name} from {Server} was truncated; retrying over TCP")]
    public static partial void Truncated(ILogger logger, string name, string server);

    [LoggerMessage(3, LogLevel.Debug, "Ignored a datagram from {Server} that does not answer the query for {Name}")]
    public static partial void StrayDatagram(ILogger logger, string server, string name);

    [LoggerMessage(4, LogLevel.Debug, "dnsaddr lookup of {Name} failed: {Reason}")]
    public static partial void LookupFailed(ILogger logger, string name, string reason);

    [LoggerMessage(5, LogLevel.Debug, "Skipped dnsaddr entry from {Name}: {Reason}")]
    public static partial void EntrySkipped(ILogger logger, string name, string reason);

    [LoggerMessage(6, LogLevel.Debug, "Stopped resolving {Address}: {Reason}")]
    public static partial void ResolutionStopped(ILogger logger, string address, string reason);

    [LoggerMessage(7, LogLevel.Warning, "dnsaddr resolution timed out after {Timeout}; keeping the {Count} addresses found so far")]
    public static partial void ResolutionTimedOut(ILogger logger, TimeSpan timeout, int count);

    [LoggerMessage(8, LogLevel.Debug, "Bootstrap address {Address} has no /p2p/ peer id; dropped")]
    public static partial void NoPeerId(ILogger logger, string address);
}
