namespace Dione.Messaging.Ratchet;

/// <summary>
/// One direction's current chain: its header key (fixed for the chain), and the chain key and address chain key of
/// message number <see cref="Number"/> (both advance one step per message).
/// </summary>
internal sealed record ChainState(byte[] HeaderKey, byte[] ChainKey, byte[] AddressKey, uint Number);
