namespace Dione.Messenger.Conversations;

/// <summary>A summary of a person's messaging state.</summary>
public sealed record MessengerStatus(string Address, int Contacts, long Sessions, long PendingSends, long Received, DateTimeOffset? PrekeysPublished);
