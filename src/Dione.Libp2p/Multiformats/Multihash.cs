namespace Dione.Libp2p.Multiformats;

/// <summary>A self-describing hash: uvarint code, uvarint digest length, digest.</summary>
public readonly record struct Multihash(ulong Code, ReadOnlyMemory<byte> Digest)
{
    /// <summary>Digests longer than this are refused when parsing.</summary>
    public const int MaxDigestLength = 1024;

    public byte[] ToBytes()
    {
        var digest = Digest.Span;
        var bytes = new byte[Varint.SizeOf(Code) + Varint.SizeOf((ulong)digest.Length) + digest.Length];
        var offset = Varint.Write(bytes, Code);
        offset += Varint.Write(bytes.AsSpan(offset), (ulong)digest.Length);
        digest.CopyTo(bytes.AsSpan(offset));
        return bytes;
    }

    public static byte[] Sha256(ReadOnlySpan<byte> data) =>
        new Multihash(MultihashCode.Sha2_256, System.Security.Cryptography.SHA256.HashData(data)).ToBytes();

    /// <summary>Parses a multihash that fills <paramref name="bytes"/> exactly.</summary>
    public static Multihash Parse(ReadOnlySpan<byte> bytes)
    {
        var multihash = ParsePrefix(bytes, out var consumed);
        if (consumed != bytes.Length)
        {
            throw new FormatException("trailing bytes after multihash");
        }
        return multihash;
    }

    /// <summary>Parses a multihash at the start of <paramref name="bytes"/>.</summary>
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
        if (code == MultihashCode.Sha2_256 && length != 32)
        {
            throw new FormatException("sha2-256 multihash must have a 32-byte digest");
        }
        consumed = start + (int)length;
        return new Multihash(code, bytes.Slice(start, (int)length).ToArray());
    }
}
