namespace Dione.Messenger.Persistence;

/// <summary>A message received and decrypted: who sent it, its body, when it arrived, and where it stands in the sender's order.</summary>
public sealed record InboxEntry(long Id, string Contact, byte[] Address, byte[] Body, DateTimeOffset Received, long Sequence, DateTimeOffset Sent);
