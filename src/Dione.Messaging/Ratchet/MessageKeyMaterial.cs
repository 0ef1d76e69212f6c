namespace Dione.Messaging.Ratchet;

/// <summary>What one message key expands to: the body's AEAD key and nonce, and the envelope's deletion token.</summary>
/// <param name="BodyKey">32-byte ChaCha20-Poly1305 key, used for this one body only.</param>
/// <param name="BodyNonce">12-byte nonce for that single use.</param>
/// <param name="DeletionToken">32 bytes; the envelope carries SHA-256 of it, and presenting it lets a store delete the envelope.</param>
public sealed record MessageKeyMaterial(byte[] BodyKey, byte[] BodyNonce, byte[] DeletionToken);
