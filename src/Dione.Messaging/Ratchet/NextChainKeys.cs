namespace Dione.Messaging.Ratchet;

/// <summary>The keys both parties hold for a chain that has not started yet: its header key (NHK) and address seed (NAK).</summary>
internal sealed record NextChainKeys(byte[] HeaderKey, byte[] AddressKey);
