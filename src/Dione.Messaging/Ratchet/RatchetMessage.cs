namespace Dione.Messaging.Ratchet;

/// <summary>One encrypted message as the ratchet produces it, before it is put into an envelope.</summary>
/// <param name="Address">The 32-byte mailbox address of this message.</param>
/// <param name="EncryptedHeader">The 80-byte encrypted header.</param>
/// <param name="Body">The padded, encrypted body (bucket size + 16-byte tag).</param>
/// <param name="DeletionToken">The message's 32-byte deletion token.</param>
/// <param name="Number">N of the message in its sending chain.</param>
internal sealed record RatchetMessage(byte[] Address, byte[] EncryptedHeader, byte[] Body, byte[] DeletionToken, uint Number);
