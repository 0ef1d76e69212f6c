namespace Dione.Libp2p.Multiformats;

/// <summary>
/// A self-describing hash (multiformats/multihash): uvarint code, uvarint digest length, digest.
/// Two multihashes are equal when their codes and digest bytes are equal.
/// </summary>
public readonly record struct Multihash(ulong Code, ReadOnlyMemory<byte> Digest)
{
    /// <summary>Digests longer than this are refused when parsing.</summary>
    public const int MaxDigestLength = 1024;

    /// <summary>The SHA-256 digest length in bytes.</summary>
    public const int Sha256Length = 32;

    /// <summary>The binary form: code, digest length, digest.</summary>
    public byte[] ToBytes()
    {
        var digest = Digest.Span;
        var bytes = new byte[Varint.SizeOf(Code) + Varint.SizeOf((ulong)digest.Length) + digest.Length];
        var offset = Varint.Write(bytes, Code);
        offset += Varint.Write(bytes.AsSpan(offset), (ulong)digest.Length);
        digest.CopyTo(bytes.AsSpan(offset));
        return bytes;
    }

    /// <summary>The binary sha2-256 multihash of <paramref name="data"/>.</summary>
    public static byte[] Sha256(ReadOnlySpan<byte> data) =>
        new Multihash(MultihashCode.Sha2_256, System.Security.Cryptography.SHA256.HashData(data)).ToBytes();

    /// <summary>Parses a multihash that fills <paramref name="bytes"/> exactly.</summary>
    /// <exception cref="FormatException">malformed, truncated, oversized, or followed by trailing bytes.</exception>
    public static Multihash Parse(ReadOnlySpan<byte> bytes)
    {
        var multihash = ParsePrefix(bytes, out var consumed);
        if (consumed != bytes.Length)
        {
            throw new FormatException("trailing bytes after multihash");
        }
        return multihash;
    }

    /// <summary>
    /// Parses a multihash at the start of <paramref name="bytes"/>. A sha2-256 digest may be truncated
    /// (the multihash spec allows it) but never longer than 32 bytes.
    /// </summary>
    /// <exception cref="FormatException">malformed, truncated or oversized.</exception>
    public static Multihash ParsePrefix(ReadOnlySpan<byte> bytes, out int consumed)
    {
        var code = Varint.Read(bytes, out var codeLength);
        var length = Varint.Read(bytes[codeLength..], out var lengthLength);
        if (length > MaxDigestLength)
        {
            throw new FormatException("multihash digest too long");
        }
        var start = codeLength + lengthLength;
        if ((ulong)(bytes.Length - start) < length)
        {
            throw new FormatException("truncated multihash");
        }
        if (code == MultihashCode.Sha2_256 && length > Sha256Length)
        {
            throw new FormatException("sha2-256 multihash digest longer than 32 bytes");
        }
        consumed = start + (int)length;
        return new Multihash(code, bytes.Slice(start, (int)length).ToArray());
    }

    /// <summary>True for a sha2-256 multihash with a full 32-byte digest.</summary>
    public bool IsFullSha256 => Code == MultihashCode.Sha2_256 && Digest.Length == Sha256Length;

    public bool Equals(Multihash other) => Code == other.Code && Digest.Span.SequenceEqual(other.Digest.Span);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Code);
        hash.AddBytes(Digest.Span);
        return hash.ToHashCode();
    }
}
