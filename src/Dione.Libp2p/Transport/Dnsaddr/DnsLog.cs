using Microsoft.Extensions.Logging;

namespace Dione.Libp2p.Transport.Dnsaddr;

internal static partial class DnsLog
{
    [LoggerMessage(1, LogLevel.Debug, "DNS TXT lookup of {Name} failed: {Reason}")]
    public static partial void QueryFailed(ILogger logger, string name, string reason);

    [LoggerMessage(2, LogLevel.Debug, "dnsaddr lookup of {Name} failed: {Reason}")]
    public static partial void LookupFailed(ILogger logger, string name, string reason);

    [LoggerMessage(3, LogLevel.Debug, "Skipped dnsaddr entry from {Name}: {Reason}")]
    public static partial void EntrySkipped(ILogger logger, string name, string reason);

    [LoggerMessage(4, LogLevel.Debug, "Stopped resolving {Address}: {Reason}")]
    public static partial void ResolutionStopped(ILogger logger, string address, string reason);

    [LoggerMessage(5, LogLevel.Warning, "dnsaddr resolution timed out after {Timeout}; keeping the {Count} addresses found so far")]
    public static partial void ResolutionTimedOut(ILogger logger, TimeSpan timeout, int count);
}
