using Dione.Messaging.Addressing;

namespace Dione.Messaging.Ratchet;

/// <summary>A message the receiver knows was sent but has not opened: its chain's header key, number, key, and the address it is expected at.</summary>
internal sealed record SkippedMessageKey(byte[] HeaderKey, uint Number, byte[] MessageKey, MailboxAddress Address, long ExpiresUnixSeconds);
