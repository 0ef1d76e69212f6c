using Dione.Messaging.Identity;

namespace Dione.Messaging.X3dh;

/// <summary>
/// A prekey bundle whose keys and signatures <see cref="PrekeyBundleVerifier"/> has checked against the identity the sender
/// expected. Only this type can start X3DH, so an unverified bundle can never be used by mistake.
/// </summary>
public sealed class VerifiedPrekeyBundle
{
    private readonly byte[] _signedPrekey;
    private readonly byte[] _oneTimePrekey;

    internal VerifiedPrekeyBundle(
        IdentityKey identity, uint signedPrekeyId, byte[] signedPrekey, DateTimeOffset signedPrekeyCreatedAt, uint? oneTimePrekeyId, byte[]? oneTimePrekey)
    {
        Identity = identity;
        SignedPrekeyId = signedPrekeyId;
        _signedPrekey = signedPrekey;
        SignedPrekeyCreatedAt = signedPrekeyCreatedAt;
        OneTimePrekeyId = oneTimePrekeyId;
        _oneTimePrekey = oneTimePrekey ?? [];
    }

    /// <summary>The recipient's identity (IK_B).</summary>
    public IdentityKey Identity { get; }

    public uint SignedPrekeyId { get; }

    /// <summary>SPK_B, 32 bytes: also the recipient's first ratchet public key.</summary>
    public ReadOnlySpan<byte> SignedPrekey => _signedPrekey;

    public DateTimeOffset SignedPrekeyCreatedAt { get; }

    /// <summary>The one-time prekey's id, or null when the bundle has none.</summary>
    public uint? OneTimePrekeyId { get; }

    /// <summary>OPK_B, 32 bytes, or empty when the bundle has none.</summary>
    public ReadOnlySpan<byte> OneTimePrekey => _oneTimePrekey;
}
