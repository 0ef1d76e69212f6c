namespace Dione.Messaging.Tests.Properties;

/// <summary>What the test knows of one sent message: who sent it in which turn, its address, message key and sender ratchet key.</summary>
internal sealed record RecordedMessage(bool FromAlice, int Turn, string Address, string MessageKey, byte[] SenderRatchetKey, Sessions.SealedMessageHolder Sealed);
