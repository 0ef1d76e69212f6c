namespace Dione.Libp2p.Identity;

/// <summary>Maps a libp2p key type to the class that decodes or generates it.</summary>
internal static class KeyCodecs
{
    /// <exception cref="FormatException">malformed key data.</exception>
    /// <exception cref="NotSupportedException">an unknown key type.</exception>
    public static PublicKey CreatePublicKey(KeyType type, ReadOnlySpan<byte> data) => type switch
    {
        KeyType.Ed25519 => new Ed25519PublicKey(data),
        KeyType.Secp256k1 => Secp256k1PublicKey.FromData(data),
        KeyType.Ecdsa => EcdsaPublicKey.FromData(data),
        KeyType.Rsa => RsaPublicKey.FromData(data),
        _ => throw new NotSupportedException($"key type {(int)type} is not supported"),
    };

    /// <exception cref="FormatException">malformed key data.</exception>
    /// <exception cref="NotSupportedException">an unknown key type.</exception>
    public static PrivateKey CreatePrivateKey(KeyType type, ReadOnlySpan<byte> data) => type switch
    {
        KeyType.Ed25519 => Ed25519PrivateKey.FromData(data),
        KeyType.Secp256k1 => Secp256k1PrivateKey.FromData(data),
        KeyType.Ecdsa => EcdsaPrivateKey.FromData(data),
        KeyType.Rsa => RsaPrivateKey.FromData(data),
        _ => throw new NotSupportedException($"key type {(int)type} is not supported"),
    };

    /// <exception cref="NotSupportedException">an unknown key type.</exception>
    public static PrivateKey GeneratePrivateKey(KeyType type) => type switch
    {
        KeyType.Ed25519 => Ed25519PrivateKey.Generate(),
        KeyType.Secp256k1 => Secp256k1PrivateKey.Generate(),
        KeyType.Ecdsa => EcdsaPrivateKey.Generate(),
        KeyType.Rsa => RsaPrivateKey.Generate(),
        _ => throw new NotSupportedException($"key type {(int)type} is not supported"),
    };
}
