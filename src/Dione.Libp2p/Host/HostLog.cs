using Microsoft.Extensions.Logging;

namespace Dione.Libp2p.Host;

internal static partial class HostLog
{
    [LoggerMessage(1, LogLevel.Information, "Listening on {Address}")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(2, LogLevel.Debug, "Connection opened: {Connection}")]
    public static partial void ConnectionOpened(ILogger logger, string connection);

    [LoggerMessage(3, LogLevel.Debug, "Connection closed: {Connection}")]
    public static partial void ConnectionClosed(ILogger logger, string connection);

    [LoggerMessage(4, LogLevel.Debug, "Inbound handshake from {Remote} failed: {Reason}")]
    public static partial void InboundHandshakeFailed(ILogger logger, string remote, string reason);

    [LoggerMessage(5, LogLevel.Debug, "Inbound connection from {Remote} refused: {Reason}")]
    public static partial void InboundRefused(ILogger logger, string remote, string reason);

    [LoggerMessage(6, LogLevel.Debug, "Stream negotiation with {Peer} failed: {Reason}")]
    public static partial void StreamNegotiationFailed(ILogger logger, string peer, string reason);

    [LoggerMessage(7, LogLevel.Debug, "Handler for {Protocol} from {Peer} failed; stream reset")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string protocol, string peer);

    [LoggerMessage(8, LogLevel.Warning, "Accept loop on {Address} stopped")]
    public static partial void AcceptLoopStopped(ILogger logger, Exception exception, string address);
}
