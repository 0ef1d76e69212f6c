namespace Dione.Messaging.X3dh;

/// <summary>What <see cref="X25519PublicKeyValidator"/> found wrong with a public key.</summary>
public enum X25519KeyProblem
{
    None,
    WrongLength,
    NotCanonical,
    LowOrder,
}
