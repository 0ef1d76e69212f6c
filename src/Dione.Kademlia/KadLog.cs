using Microsoft.Extensions.Logging;

namespace Dione.Kademlia;

internal static partial class KadLog
{
    [LoggerMessage(1, LogLevel.Debug, "Kad stream from {Peer} reset: {Reason}")]
    public static partial void StreamReset(ILogger logger, string peer, string reason);

    [LoggerMessage(2, LogLevel.Debug, "Kad stream from {Peer} refused: {Open} streams of this peer and {Total} in all already open")]
    public static partial void StreamRefused(ILogger logger, string peer, int open, int total);

    [LoggerMessage(3, LogLevel.Information, "Kad {Protocol} now in {Mode} mode")]
    public static partial void ModeChanged(ILogger logger, string protocol, KadMode mode);

    [LoggerMessage(4, LogLevel.Debug, "Kad request {Type} to {Peer} failed: {Reason}")]
    public static partial void RequestFailed(ILogger logger, string type, string peer, string reason);

    [LoggerMessage(5, LogLevel.Debug, "Routing table: {Peer} added")]
    public static partial void PeerAdded(ILogger logger, string peer);

    [LoggerMessage(6, LogLevel.Debug, "Routing table: {Peer} removed ({Reason})")]
    public static partial void PeerRemoved(ILogger logger, string peer, string reason);

    [LoggerMessage(7, LogLevel.Debug, "Routing table: liveness check of {Peer}: {Outcome}")]
    public static partial void LivenessChecked(ILogger logger, string peer, string outcome);

    [LoggerMessage(8, LogLevel.Debug, "Routing table: {Peer} not added ({Reason})")]
    public static partial void PeerNotAdded(ILogger logger, string peer, string reason);

    [LoggerMessage(9, LogLevel.Debug, "Routing table: admission check of {Peer}: {Outcome}")]
    public static partial void AdmissionChecked(ILogger logger, string peer, string outcome);
}
