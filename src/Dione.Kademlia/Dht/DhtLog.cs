using Microsoft.Extensions.Logging;

namespace Dione.Kademlia.Dht;

internal static partial class DhtLog
{
    [LoggerMessage(101, LogLevel.Information, "DHT {Protocol}: mode {Mode}")]
    public static partial void Mode(ILogger logger, string protocol, KadMode mode);

    [LoggerMessage(102, LogLevel.Debug, "DHT bootstrap: {Peer} unreachable: {Reason}")]
    public static partial void BootstrapPeerFailed(ILogger logger, string peer, string reason);

    [LoggerMessage(103, LogLevel.Information, "DHT bootstrap: {Connected} of {Total} peers connected")]
    public static partial void Bootstrapped(ILogger logger, int connected, int total);

    [LoggerMessage(104, LogLevel.Debug, "DHT refreshed bucket {Cpl}: {Peers} peers answered")]
    public static partial void BucketRefreshed(ILogger logger, int cpl, int peers);

    [LoggerMessage(105, LogLevel.Warning, "DHT background task {Task} failed: {Reason}")]
    public static partial void BackgroundFailed(ILogger logger, string task, string reason);

    [LoggerMessage(106, LogLevel.Debug, "DHT pruned {Records} records and {Providers} provider entries")]
    public static partial void Pruned(ILogger logger, int records, int providers);

    [LoggerMessage(107, LogLevel.Debug, "DHT republished {Keys} provider records")]
    public static partial void Republished(ILogger logger, int keys);
}
