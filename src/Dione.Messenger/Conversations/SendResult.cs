using Dione.Messenger.Mailbox;

namespace Dione.Messenger.Conversations;

/// <summary>A message committed to the outbox (<see cref="OutboxId"/>) and how its first store attempt went.</summary>
public sealed record SendResult(long OutboxId, byte[] Address, ReplicationResult FirstAttempt);
