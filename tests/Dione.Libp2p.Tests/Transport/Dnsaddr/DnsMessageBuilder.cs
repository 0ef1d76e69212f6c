using System.Buffers.Binary;
using System.Text;

namespace Dione.Libp2p.Tests.Transport.Dnsaddr;

/// <summary>Builds DNS messages byte by byte (RFC 1035 section 4.1) for tests; nothing here validates.</summary>
internal static class DnsMessageBuilder
{
    public const ushort TypeTxt = 16;

    /// <summary>Flags QR, RD, RA; plus TC and RCODE when asked.</summary>
    public static ushort ResponseFlags(int responseCode = 0, bool truncated = false) =>
        (ushort)(0x8180 | (truncated ? 0x0200 : 0) | (responseCode & 0xf));

    public static byte[] Header(ushort id, ushort flags, int questions, int answers, int authority = 0, int additional = 0)
    {
        var header = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), (ushort)questions);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), (ushort)answers);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(8), (ushort)authority);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), (ushort)additional);
        return header;
    }

    /// <summary>An uncompressed name: length-prefixed labels and the root byte.</summary>
    public static byte[] Name(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }
        bytes.Add(0);
        return [.. bytes];
    }

    /// <summary>A compression pointer to <paramref name="offset"/>; 12 is the question name right after the header.</summary>
    public static byte[] Pointer(int offset) => [(byte)(0xc0 | (offset >> 8)), (byte)offset];

    public static byte[] Question(string name, ushort type = TypeTxt) => [.. Name(name), (byte)(type >> 8), (byte)type, 0, 1];

    public static byte[] Record(byte[] owner, ushort type, byte[] data, ushort @class = 1, uint ttl = 300)
    {
        var fixedPart = new byte[10];
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart, type);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(2), @class);
        BinaryPrimitives.WriteUInt32BigEndian(fixedPart.AsSpan(4), ttl);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(8), (ushort)data.Length);
        return [.. owner, .. fixedPart, .. data];
    }

    /// <summary>TXT rdata: each string as a length byte and its bytes.</summary>
    public static byte[] TxtData(params string[] strings)
    {
        var bytes = new List<byte>();
        foreach (var s in strings)
        {
            var encoded = Encoding.UTF8.GetBytes(s);
            bytes.Add((byte)encoded.Length);
            bytes.AddRange(encoded);
        }
        return [.. bytes];
    }

    /// <summary>A TXT record owned by the question name (compressed), one record per long text split into 255-byte strings.</summary>
    public static byte[] TxtAnswer(string text) => Record(Pointer(12), TypeTxt, TxtData(Split(text)));

    /// <summary>A complete answer to a TXT question: one record per text, owner compressed to the question name.</summary>
    public static byte[] TxtResponse(ushort id, string name, IReadOnlyList<string> texts, int responseCode = 0, bool truncated = false)
    {
        var message = new List<byte>();
        message.AddRange(Header(id, ResponseFlags(responseCode, truncated), 1, texts.Count));
        message.AddRange(Question(name));
        foreach (var text in texts)
        {
            message.AddRange(TxtAnswer(text));
        }
        return [.. message];
    }

    private static string[] Split(string text)
    {
        var parts = new List<string>();
        for (var i = 0; i < text.Length; i += 255)
        {
            parts.Add(text.Substring(i, Math.Min(255, text.Length - i)));
        }
        return parts.Count == 0 ? [""] : [.. parts];
    }
}
