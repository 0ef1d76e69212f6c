namespace Dione.Messenger.Persistence;

/// <summary>A decrypted message on its way into the inbox: its mailbox address (which makes it unique), body and sender's order.</summary>
public sealed record ReceivedContent(byte[] Address, byte[] Body, long Sequence, long SentUnixMilliseconds);
