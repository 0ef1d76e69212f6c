namespace Dione.Messaging.Sessions;

/// <summary>A message the session opened. Persist <see cref="DioneSession.Serialize"/> afterwards (its key and address are gone from the state).</summary>
/// <param name="Plaintext">The message.</param>
/// <param name="Address">The 32-byte address it came from.</param>
/// <param name="DeletionToken">The 32-byte token that deletes the envelope from the stores that hold it.</param>
public sealed record OpenedMessage(byte[] Plaintext, byte[] Address, byte[] DeletionToken);
