namespace Dione.Libp2p.Multiformats;

/// <summary>
/// A content identifier (multiformats/cid). CIDv0 is a bare sha2-256 multihash (dag-pb, text always base58btc
/// <c>Qm…</c>); CIDv1 is <c>varint(1) ‖ varint(codec) ‖ multihash</c>, written as multibase text (base32 by default).
/// </summary>
public sealed class Cid : IEquatable<Cid>
{
    /// <summary>Text length of every CIDv0.</summary>
    public const int V0TextLength = 46;

    private Cid(int version, ulong codec, Multihash multihash)
    {
        Version = version;
        Codec = codec;
        Multihash = multihash;
    }

    /// <summary>0 or 1.</summary>
    public int Version { get; }

    /// <summary>The content-type multicodec (see <see cref="Multicodec"/>); always dag-pb for CIDv0.</summary>
    public ulong Codec { get; }

    public Multihash Multihash { get; }

    /// <summary>A CIDv0: <paramref name="multihash"/> must be a full sha2-256 multihash.</summary>
    /// <exception cref="ArgumentException">not a 32-byte sha2-256 multihash.</exception>
    public static Cid CreateV0(Multihash multihash)
    {
        if (!multihash.IsFullSha256)
        {
            throw new ArgumentException("CIDv0 requires a 32-byte sha2-256 multihash", nameof(multihash));
        }
        return new Cid(0, Multicodec.DagPb, multihash);
    }

    /// <summary>A CIDv1 of content type <paramref name="codec"/>.</summary>
    public static Cid CreateV1(ulong codec, Multihash multihash)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(codec, Varint.MaxValue);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(multihash.Code, Varint.MaxValue);
        return new Cid(1, codec, multihash);
    }

    /// <summary>The same content as a CIDv1.</summary>
    public Cid ToV1() => Version == 1 ? this : new Cid(1, Codec, Multihash);

    /// <summary>Parses the binary form, which must be exactly one CID.</summary>
    /// <exception cref="FormatException">malformed, truncated, trailing bytes, or a reserved/unknown version.</exception>
    public static Cid FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 2 && bytes[0] == MultihashCode.Sha2_256 && bytes[1] == Multihash.Sha256Length)
        {
            if (bytes.Length != 2 + Multihash.Sha256Length)
            {
                throw new FormatException("CIDv0 must be exactly 34 bytes");
            }
            return new Cid(0, Multicodec.DagPb, Multihash.Parse(bytes));
        }
        var version = Varint.Read(bytes, out var versionLength);
        if (version != 1)
        {
            throw new FormatException(version is 2 or 3 ? $"CID version {version} is reserved" : $"invalid CID version {version}");
        }
        var codec = Varint.Read(bytes[versionLength..], out var codecLength);
        var multihash = Multihash.Parse(bytes[(versionLength + codecLength)..]);
        return new Cid(1, codec, multihash);
    }

    /// <summary>Parses text: a 46-character <c>Qm…</c> CIDv0, or a multibase-encoded CIDv1.</summary>
    /// <exception cref="FormatException">any malformed input.</exception>
    public static Cid Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length < 2)
        {
            throw new FormatException("CID text too short");
        }
        if (text.Length == V0TextLength && text.StartsWith("Qm", StringComparison.Ordinal))
        {
            var cid = FromBytes(Base58.Decode(text));
            return cid.Version == 0 ? cid : throw new FormatException("'Qm' text is not a CIDv0");
        }
        var bytes = Multibase.Decode(text);
        if (bytes.Length > 0 && bytes[0] == MultihashCode.Sha2_256)
        {
            throw new FormatException("a CIDv0 may not be multibase-encoded");
        }
        return FromBytes(bytes);
    }

    /// <summary>Like <see cref="Parse"/>, returning false instead of throwing <see cref="FormatException"/>.</summary>
    public static bool TryParse(string? text, out Cid? cid)
    {
        try
        {
            cid = text is null ? null : Parse(text);
            return cid is not null;
        }
        catch (FormatException)
        {
            cid = null;
            return false;
        }
    }

    /// <summary>The binary form.</summary>
    public byte[] ToBytes()
    {
        var multihash = Multihash.ToBytes();
        if (Version == 0)
        {
            return multihash;
        }
        var bytes = new byte[Varint.SizeOf(1) + Varint.SizeOf(Codec) + multihash.Length];
        var offset = Varint.Write(bytes, 1);
        offset += Varint.Write(bytes.AsSpan(offset), Codec);
        multihash.CopyTo(bytes.AsSpan(offset));
        return bytes;
    }

    /// <summary>CIDv0: bare base58btc; CIDv1: multibase base32.</summary>
    public override string ToString() => Version == 0 ? Base58.Encode(ToBytes()) : ToString(MultibaseEncoding.Base32);

    /// <summary>The CIDv1 text in <paramref name="encoding"/>.</summary>
    /// <exception cref="InvalidOperationException">this is a CIDv0, which only has the bare base58btc form (use <see cref="ToV1"/>).</exception>
    public string ToString(MultibaseEncoding encoding) => Version == 0
        ? throw new InvalidOperationException("a CIDv0 is only written as bare base58btc; convert it with ToV1() first")
        : Multibase.Encode(encoding, ToBytes());

    public bool Equals(Cid? other) =>
        other is not null && other.Version == Version && other.Codec == Codec && other.Multihash.Equals(Multihash);

    public override bool Equals(object? obj) => Equals(obj as Cid);

    public override int GetHashCode() => HashCode.Combine(Version, Codec, Multihash);

    public static bool operator ==(Cid? left, Cid? right) => left?.Equals(right) ?? right is null;

    public static bool operator !=(Cid? left, Cid? right) => !(left == right);
}
