using Dione.Libp2p.Multiformats;

namespace Dione.Libp2p.Identity;

/// <summary>
/// A libp2p peer id: the multihash of a public key's protobuf encoding, the identity multihash when that encoding
/// is at most 42 bytes (Ed25519, secp256k1), SHA-256 otherwise (RSA, ECDSA). specs/peer-ids/peer-ids.md.
/// </summary>
public sealed class PeerId : IEquatable<PeerId>
{
    /// <summary>Encoded keys up to this length are inlined with the identity multihash.</summary>
    public const int MaxInlineKeyLength = 42;

    private readonly byte[] _bytes;

    private PeerId(byte[] bytes) => _bytes = bytes;

    /// <summary>The binary form: a multihash.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    public byte[] ToBytes() => (byte[])_bytes.Clone();

    public static PeerId FromPublicKey(PublicKey key)
    {
        var encoded = key.ToProtobuf();
        return encoded.Length <= MaxInlineKeyLength
            ? new PeerId(new Multihash(MultihashCode.Identity, encoded).ToBytes())
            : new PeerId(Multihash.Sha256(encoded));
    }

    /// <summary>
    /// Parses the binary form, accepting only a 32-byte sha2-256 multihash or an identity multihash of at most
    /// 42 bytes holding a canonically encoded public key of a supported type.
    /// </summary>
    /// <exception cref="FormatException">anything else.</exception>
    public static PeerId FromBytes(ReadOnlySpan<byte> bytes)
    {
        var multihash = Multihash.Parse(bytes);
        switch (multihash.Code)
        {
            case MultihashCode.Sha2_256:
                if (!multihash.IsFullSha256)
                {
                    throw new FormatException("sha2-256 peer id must have a 32-byte digest");
                }
                break;
            case MultihashCode.Identity:
                if (multihash.Digest.Length > MaxInlineKeyLength)
                {
                    throw new FormatException("identity peer id holds more than 42 bytes");
                }
                PublicKey key;
                try
                {
                    key = PublicKey.FromProtobuf(multihash.Digest.Span);
                }
                catch (NotSupportedException e)
                {
                    throw new FormatException("identity peer id holds a key of an unsupported type", e);
                }
                if (!key.ToProtobuf().AsSpan().SequenceEqual(multihash.Digest.Span))
                {
                    throw new FormatException("identity peer id holds a key that is not canonically encoded");
                }
                break;
            default:
                throw new FormatException($"peer id uses unsupported multihash code 0x{multihash.Code:x}");
        }
        return new PeerId(bytes.ToArray());
    }

    /// <summary>
    /// Parses the legacy base58btc text form (<c>12D3KooW…</c>, <c>Qm…</c>, <c>16Uiu2…</c>) or a multibase CIDv1 form
    /// with the libp2p-key codec (<c>bafz…</c>, <c>k51…</c>), as specs/peer-ids "Decoding" says.
    /// </summary>
    /// <exception cref="FormatException">any malformed input.</exception>
    public static PeerId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            throw new FormatException("empty peer id");
        }
        if (text.StartsWith("Qm", StringComparison.Ordinal) || text.StartsWith('1'))
        {
            return FromBytes(Base58.Decode(text));
        }
        return PeerIdCid.Parse(text);
    }

    public static bool TryParse(string? text, out PeerId? peerId)
    {
        try
        {
            peerId = text is null ? null : Parse(text);
            return peerId is not null;
        }
        catch (FormatException)
        {
            peerId = null;
            return false;
        }
    }

    /// <summary>The public key, when the id inlines it (identity multihash).</summary>
    public PublicKey? TryGetPublicKey()
    {
        var multihash = Multihash.Parse(_bytes);
        return multihash.Code == MultihashCode.Identity ? PublicKey.FromProtobuf(multihash.Digest.Span) : null;
    }

    /// <summary>True when <paramref name="key"/> is the key this id was derived from.</summary>
    public bool Matches(PublicKey key) => Equals(FromPublicKey(key));

    /// <summary>The CIDv1 form: version 1, codec libp2p-key (0x72), this multihash.</summary>
    public Cid ToCid() => Cid.CreateV1(Multicodec.Libp2pKey, Multihash.Parse(_bytes));

    /// <summary>The CIDv1 text form, base32 by default (as go-libp2p's peer.ToCid and <c>--peerid-base base32</c>).</summary>
    public string ToCidString(MultibaseEncoding encoding = MultibaseEncoding.Base32) => ToCid().ToString(encoding);

    /// <summary>The base58btc text form, as go-libp2p and js-libp2p print peer ids.</summary>
    public override string ToString() => Base58.Encode(_bytes);

    public bool Equals(PeerId? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as PeerId);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    public static bool operator ==(PeerId? left, PeerId? right) => left?.Equals(right) ?? right is null;

    public static bool operator !=(PeerId? left, PeerId? right) => !(left == right);
}
