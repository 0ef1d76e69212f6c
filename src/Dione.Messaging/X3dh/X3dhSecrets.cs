namespace Dione.Messaging.X3dh;

/// <summary>
/// What a completed X3DH agreement hands the header-encrypted Double Ratchet (Signal's Double Ratchet spec §4 and §5.1):
/// the root key SK, the two shared header keys, and the associated data bound to every message of the session.
/// </summary>
/// <param name="RootKey">SK, 32 bytes: the ratchet's first root key.</param>
/// <param name="SharedHeaderKey">shared_hka, 32 bytes: the initiator's (Alice's) first sending header key.</param>
/// <param name="SharedNextHeaderKey">shared_nhkb, 32 bytes: the responder's (Bob's) first next header key.</param>
/// <param name="AssociatedData">AD = Encode(IK_A) ‖ Encode(IK_B), authenticated with every message.</param>
public sealed record X3dhSecrets(byte[] RootKey, byte[] SharedHeaderKey, byte[] SharedNextHeaderKey, byte[] AssociatedData);
