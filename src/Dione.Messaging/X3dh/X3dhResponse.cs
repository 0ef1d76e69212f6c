using Dione.Messaging.Crypto;
using Dione.Messaging.Identity;
using Dione.Primitives.Crypto;

namespace Dione.Messaging.X3dh;

/// <summary>
/// The responder's (Bob's) result of an accepted initial message: the secrets for the ratchet, the now-authenticated
/// sender identity, and the key pair the ratchet starts with (SPK_B, for RatchetInitBobHE).
/// </summary>
public sealed class X3dhResponse
{
    internal X3dhResponse(X3dhSecrets secrets, IdentityKey remoteIdentity, X25519KeyPair ratchetKeyPair, uint signedPrekeyId, uint? oneTimePrekeyId)
    {
        Secrets = secrets;
        RemoteIdentity = remoteIdentity;
        RatchetKeyPair = ratchetKeyPair;
        SignedPrekeyId = signedPrekeyId;
        OneTimePrekeyId = oneTimePrekeyId;
    }

    public X3dhSecrets Secrets { get; }

    /// <summary>IK_A: proven by the key confirmation, so the session is with the holder of this identity.</summary>
    public IdentityKey RemoteIdentity { get; }

    /// <summary>SPK_B's key pair: the responder's first Double Ratchet key pair.</summary>
    public X25519KeyPair RatchetKeyPair { get; }

    public uint SignedPrekeyId { get; }

    /// <summary>The one-time prekey the session used (now deleted from the store), or null.</summary>
    public uint? OneTimePrekeyId { get; }
}
