using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Dione.Libp2p.Identity;

/// <summary>An Ed25519 public key: 32 bytes (RFC 8032).</summary>
public sealed class Ed25519PublicKey : PublicKey
{
    public const int KeyLength = 32;
    public const int SignatureLength = 64;

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

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength)
        {
            return false;
        }
        try
        {
            return Ed25519.Verify(signature.ToArray(), 0, _key, 0, data.ToArray(), 0, data.Length);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
