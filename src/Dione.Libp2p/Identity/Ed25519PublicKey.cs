using Dione.Primitives.Crypto;

namespace Dione.Libp2p.Identity;

/// <summary>
/// An Ed25519 public key: 32 bytes (RFC 8032). Verification is strict RFC 8032 and also refuses small-order keys
/// and R values (libsodium's rules, see <see cref="Ed25519"/>).
/// </summary>
public sealed class Ed25519PublicKey : PublicKey
{
    public const int KeyLength = Ed25519.PublicKeyLength;
    public const int SignatureLength = Ed25519.SignatureLength;

    private readonly byte[] _key;

    public Ed25519PublicKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyLength)
        {
            throw new FormatException("Ed25519 public key must be 32 bytes");
        }
        _key = key.ToArray();
    }

    public override KeyType Type => KeyType.Ed25519;

    public override ReadOnlyMemory<byte> Data => _key;

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) => Ed25519.Verify(_key, data, signature);
}
