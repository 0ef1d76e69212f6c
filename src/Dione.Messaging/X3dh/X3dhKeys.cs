namespace Dione.Messaging.X3dh;

/// <summary>Everything Dione's X3DH KDF yields: the ratchet hand-over and the key that authenticates the initial data.</summary>
internal sealed record X3dhKeys(X3dhSecrets Secrets, byte[] ConfirmationKey);
