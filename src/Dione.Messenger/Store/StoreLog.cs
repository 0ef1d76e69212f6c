using Microsoft.Extensions.Logging;

namespace Dione.Messenger.Store;

internal static partial class StoreLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "/dione/1.0 stream from {Peer} reset: {Reason}")]
    public static partial void StreamReset(ILogger logger, string peer, string reason);
}
