using Microsoft.Extensions.Logging;

namespace Dione.Messenger.Mailbox;

internal static partial class MailboxLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "envelope {AddressPrefix}… stored at {Acknowledged} of {Wanted} holders")]
    public static partial void Stored(ILogger logger, string addressPrefix, int acknowledged, int wanted);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "mailbox request to {Peer} failed: {Reason}")]
    public static partial void FetchFailed(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "looking up the holders of {Count} watched addresses failed: {Reason}")]
    public static partial void HolderLookupFailed(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "sending a deletion on to {Peer} failed: {Reason}")]
    public static partial void DeletionNotPropagated(ILogger logger, string peer, string reason);
}
