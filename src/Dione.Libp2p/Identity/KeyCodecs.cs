namespace Dione.Libp2p.Identity;

/// <summary>Construction of the key types other than Ed25519.</summary>
internal static class KeyCodecs
{
    public static PublicKey CreatePublicKey(KeyType type, ReadOnlySpan<byte> data) =>
        throw new NotSupportedException($"key type {type} is not supported yet");

    public static PrivateKey CreatePrivateKey(KeyType type, ReadOnlySpan<byte> data) =>
        throw new NotSupportedException($"key type {type} is not supported yet");

    public static PrivateKey GeneratePrivateKey(KeyType type) =>
        throw new NotSupportedException($"key type {type} is not supported yet");
}
