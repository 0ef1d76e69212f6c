using System.Security.Cryptography;
using Dione.Primitives.Crypto;

namespace Dione.Libp2p.Identity;

/// <summary>An Ed25519 private key. Its libp2p encoding is the 32-byte seed followed by the 32-byte public key.</summary>
public sealed class Ed25519PrivateKey : PrivateKey
{
    public const int SeedLength = Ed25519.SeedLength;

    /// <summary>Seed ‖ public key: the libp2p encoding and the form the signing primitive takes.</summary>
    private readonly byte[] _privateKey;

    private Ed25519PrivateKey(ReadOnlySpan<byte> seed)
    {
        _privateKey = Ed25519.ExpandSeed(seed);
        PublicKey = new Ed25519PublicKey(_privateKey.AsSpan(SeedLength));
    }

    public override KeyType Type => KeyType.Ed25519;

    public override PublicKey PublicKey { get; }

    public static Ed25519PrivateKey Generate()
    {
        Span<byte> seed = stackalloc byte[SeedLength];
        RandomNumberGenerator.Fill(seed);
        return new Ed25519PrivateKey(seed);
    }

    public static Ed25519PrivateKey FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedLength)
        {
            throw new FormatException("Ed25519 seed must be 32 bytes");
        }
        return new Ed25519PrivateKey(seed);
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

    protected override byte[] ExportData() => (byte[])_privateKey.Clone();

    public override byte[] Sign(ReadOnlySpan<byte> data) => Ed25519.Sign(_privateKey, data);
}
