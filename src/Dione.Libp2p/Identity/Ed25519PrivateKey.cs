using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Dione.Libp2p.Identity;

/// <summary>An Ed25519 private key. Its libp2p encoding is the 32-byte seed followed by the 32-byte public key.</summary>
public sealed class Ed25519PrivateKey : PrivateKey
{
    public const int SeedLength = 32;

    private readonly byte[] _seed;

    private Ed25519PrivateKey(byte[] seed)
    {
        _seed = seed;
        var publicKey = new byte[Ed25519PublicKey.KeyLength];
        Ed25519.GeneratePublicKey(_seed, 0, publicKey, 0);
        PublicKey = new Ed25519PublicKey(publicKey);
    }

    public override KeyType Type => KeyType.Ed25519;

    public override PublicKey PublicKey { get; }

    public static Ed25519PrivateKey Generate() => new(RandomNumberGenerator.GetBytes(SeedLength));

    public static Ed25519PrivateKey FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedLength)
        {
            throw new FormatException("Ed25519 seed must be 32 bytes");
        }
        return new Ed25519PrivateKey(seed.ToArray());
    }

    /// <summary>
    /// Accepts the 64-byte libp2p form (seed ‖ public key, checked), the legacy 96-byte form
    /// (seed ‖ public key ‖ public key, both copies checked, specs/peer-ids) or a bare 32-byte seed.
    /// </summary>
    /// <exception cref="FormatException">another length, or a public half that does not match the seed.</exception>
    public static Ed25519PrivateKey FromData(ReadOnlySpan<byte> data)
    {
        if (data.Length == SeedLength)
        {
            return FromSeed(data);
        }
        if (data.Length == SeedLength + 2 * Ed25519PublicKey.KeyLength)
        {
            var first = data.Slice(SeedLength, Ed25519PublicKey.KeyLength);
            if (!first.SequenceEqual(data[(SeedLength + Ed25519PublicKey.KeyLength)..]))
            {
                throw new FormatException("legacy Ed25519 private key holds two different public keys");
            }
            data = data[..(SeedLength + Ed25519PublicKey.KeyLength)];
        }
        if (data.Length != SeedLength + Ed25519PublicKey.KeyLength)
        {
            throw new FormatException("Ed25519 private key must be 32, 64 or 96 bytes");
        }
        var key = FromSeed(data[..SeedLength]);
        if (!key.PublicKey.Data.Span.SequenceEqual(data[SeedLength..]))
        {
            throw new FormatException("Ed25519 private key's public half does not match its seed");
        }
        return key;
    }

    protected override byte[] ExportData() => [.. _seed, .. PublicKey.Data.Span];

    public override byte[] Sign(ReadOnlySpan<byte> data)
    {
        var signature = new byte[Ed25519PublicKey.SignatureLength];
        Ed25519.Sign(_seed, 0, data.ToArray(), 0, data.Length, signature, 0);
        return signature;
    }
}
