using Microsoft.Extensions.Logging;

namespace Dione.Libp2p.Protocols.Identify;

internal static partial class IdentifyLog
{
    [LoggerMessage(101, LogLevel.Debug, "Identified {Peer}: {Agent}, {ProtocolCount} protocols, {AddressCount} addresses")]
    public static partial void Identified(ILogger logger, string peer, string? agent, int protocolCount, int addressCount);

    [LoggerMessage(102, LogLevel.Debug, "Identify with {Peer} failed: {Reason}")]
    public static partial void Failed(ILogger logger, string peer, string reason);

    [LoggerMessage(103, LogLevel.Debug, "Ignoring signed peer record from {Peer}: {Reason}")]
    public static partial void BadPeerRecord(ILogger logger, string peer, string reason);

    [LoggerMessage(104, LogLevel.Debug, "Identify push to {Peer} failed: {Reason}")]
    public static partial void PushFailed(ILogger logger, string peer, string reason);
}
