namespace Dione.Messaging.Ratchet;

/// <summary>An opened message: its plaintext and its deletion token.</summary>
internal sealed record RatchetPlaintext(byte[] Plaintext, byte[] DeletionToken);
