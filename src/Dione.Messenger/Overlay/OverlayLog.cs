using Microsoft.Extensions.Logging;

namespace Dione.Messenger.Overlay;

internal static partial class OverlayLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Dione rendezvous: {Connected} new peers connected, {TableSize} in the overlay table")]
    public static partial void Rendezvous(ILogger logger, int connected, int tableSize);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Dione rendezvous step {Step} failed: {Reason}")]
    public static partial void RendezvousFailed(ILogger logger, string step, string reason);
}
