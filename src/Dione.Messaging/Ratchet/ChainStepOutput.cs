namespace Dione.Messaging.Ratchet;

/// <summary>The outputs of one symmetric-chain step (KDF_CK), each 32 bytes.</summary>
/// <param name="MessageKey">MK = HMAC-SHA-256(CK, 0x01).</param>
/// <param name="NextChainKey">CK' = HMAC-SHA-256(CK, 0x02).</param>
public sealed record ChainStepOutput(byte[] MessageKey, byte[] NextChainKey);
