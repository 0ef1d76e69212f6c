namespace Dione.Messenger.Persistence;

/// <summary>A message received and decrypted, in the order it was received.</summary>
public sealed record InboxEntry(long Id, string Contact, byte[] Address, byte[] Body, DateTimeOffset Received);
