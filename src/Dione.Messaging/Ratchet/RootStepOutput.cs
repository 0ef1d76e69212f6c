namespace Dione.Messaging.Ratchet;

/// <summary>The outputs of one root-chain step (KDF_RK_HE plus Dione's address seed), each 32 bytes.</summary>
/// <param name="RootKey">The next root key RK.</param>
/// <param name="ChainKey">The chain key of the chain this step starts (CKs or CKr).</param>
/// <param name="NextHeaderKey">NHK: the header key of the chain after the next DH step in this direction.</param>
/// <param name="NextAddressKey">NAK: the address chain seed of that same later chain.</param>
public sealed record RootStepOutput(byte[] RootKey, byte[] ChainKey, byte[] NextHeaderKey, byte[] NextAddressKey);
