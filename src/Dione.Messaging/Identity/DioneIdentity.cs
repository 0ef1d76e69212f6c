using Dione.Messaging.Crypto;
using Dione.Primitives.Crypto;

namespace Dione.Messaging.Identity;

/// <summary>
/// A Dione identity: one Ed25519 key pair. It signs the prekeys it publishes, and its X25519 form (same secret scalar,
/// via <see cref="Ed25519KeyPair.ToX25519"/>) is X3DH's identity key IK. Persist it with <see cref="ExportSeed"/>.
/// </summary>
public sealed class DioneIdentity
{
    private readonly Ed25519KeyPair _signing;
    private readonly X25519KeyPair _agreement;

    private DioneIdentity(Ed25519KeyPair signing)
    {
        _signing = signing;
        _agreement = signing.ToX25519();
        PublicKey = IdentityKey.FromEd25519(signing.PublicKey);
    }

    /// <summary>The public identity: what others verify against and address messages to.</summary>
    public IdentityKey PublicKey { get; }

    /// <summary>The X25519 key pair for X3DH's DH computations.</summary>
    internal X25519KeyPair AgreementKeyPair => _agreement;

    public static DioneIdentity Generate() => new(Ed25519KeyPair.Generate());

    /// <exception cref="ArgumentException">the seed is not 32 bytes.</exception>
    public static DioneIdentity FromSeed(ReadOnlySpan<byte> seed) => new(Ed25519KeyPair.FromSeed(seed));

    /// <summary>A copy of the 32-byte Ed25519 seed, the only secret of the identity. Clear it after storing.</summary>
    public byte[] ExportSeed() => _signing.ExportSeed();

    /// <summary>An Ed25519 signature. Every message Dione signs with an identity starts with its own "Dione_…_v1" label.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) => _signing.Sign(message);
}
