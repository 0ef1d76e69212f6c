using Microsoft.Extensions.Logging;

namespace Dione.Messenger.Conversations;

internal static partial class MessengerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "prekeys published in slot {Slot} at {Holders} holders")]
    public static partial void PrekeysPublished(ILogger logger, int slot, int holders);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "prekeys could not be published in any slot this week")]
    public static partial void PrekeysNotPublished(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "an intro was refused: {Reason}")]
    public static partial void IntroRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "an envelope for {Contact} was refused: {Reason}")]
    public static partial void EnvelopeRefused(ILogger logger, string contact, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "a prekey publication of {Contact} was refused: {Reason}")]
    public static partial void BadPublication(ILogger logger, string contact, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "messaging loop step failed: {Reason}")]
    public static partial void LoopFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "an intro from {Contact} was refused for good and deleted: {Reason}")]
    public static partial void IntroIgnored(ILogger logger, string contact, string reason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information,
        Message = "{Contact}'s new session replaced ours; {Resent} messages written on ours were encrypted again on theirs")]
    public static partial void SessionReplaced(ILogger logger, string contact, int resent);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning,
        Message = "refused a first message from {Address}: {Unanswered} sessions others started are unanswered, the limit (Messenger.MaxUnansweredSessions); "
            + "reply to or remove some of those contacts, or raise the limit")]
    public static partial void UnansweredSessionLimitReached(ILogger logger, string address, long unanswered);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning,
        Message = "outbox message {Id} to {Contact} is given up: another envelope holds its address at every holder, and holders never replace one")]
    public static partial void OutboxEntryTaken(ILogger logger, long id, string contact);
}
