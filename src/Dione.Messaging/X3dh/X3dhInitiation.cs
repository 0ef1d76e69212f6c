using Dione.Messaging.Identity;
using Dione.Messaging.Protos;

namespace Dione.Messaging.X3dh;

/// <summary>
/// The sender's (Alice's) result of X3DH: the secrets for the ratchet, the recipient's first ratchet public key (SPK_B,
/// for RatchetInitAliceHE), and the initial data both in clear (<see cref="InitialData"/>) and sealed for an intro envelope
/// (<see cref="SealedIntro"/>). The ephemeral private key is already gone.
/// </summary>
public sealed class X3dhInitiation
{
    private readonly byte[] _remoteRatchetPublicKey;
    private readonly byte[] _sealedIntro;

    internal X3dhInitiation(X3dhSecrets secrets, IdentityKey remoteIdentity, byte[] remoteRatchetPublicKey, X3dhInitialData initialData, byte[] sealedIntro)
    {
        Secrets = secrets;
        RemoteIdentity = remoteIdentity;
        _remoteRatchetPublicKey = remoteRatchetPublicKey;
        InitialData = initialData;
        _sealedIntro = sealedIntro;
    }

    public X3dhSecrets Secrets { get; }

    /// <summary>IK_B, the identity the session is with.</summary>
    public IdentityKey RemoteIdentity { get; }

    /// <summary>SPK_B's public key (32 bytes): the responder's first ratchet public key.</summary>
    public ReadOnlySpan<byte> RemoteRatchetPublicKey => _remoteRatchetPublicKey;

    /// <summary>The initial data as a message, for transports that carry it in clear.</summary>
    public X3dhInitialData InitialData { get; }

    /// <summary>The initial data sealed to the recipient (EK_A || ChaCha20-Poly1305 ciphertext), for the envelope's intro field.</summary>
    public ReadOnlySpan<byte> SealedIntro => _sealedIntro;
}
