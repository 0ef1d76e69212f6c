using System.Buffers.Binary;
using System.Text;

namespace Dione.Kademlia.Bootstrap;

/// <summary>
/// Strict, bounded parsing of DNS responses (RFC 1035 section 4.1). No length or count in the message is trusted:
/// every read is checked against the bytes present, section counts must fit in what remains, names are limited to 255
/// bytes and compression pointers must point strictly before every earlier jump target (so a pointer chain always
/// ends), TXT rdata must be an exact sequence of character-strings. The authority and additional sections are walked
/// for structure and otherwise ignored; bytes after them are ignored.
/// </summary>
internal static class DnsResponseParser
{
    /// <summary>Largest message accepted: a UDP datagram or TCP-framed message cannot be larger.</summary>
    public const int MaxMessageLength = 65535;

    private const int MinQuestionLength = 5; // root name + type + class
    private const int MinRecordLength = 11; // root name + type + class + ttl + rdlength
    private const int MaxPointerJumps = 127; // a 255-byte name has at most 127 labels

    /// <exception cref="FormatException">anything malformed, truncated or not a response.</exception>
    public static DnsResponse Parse(ReadOnlySpan<byte> message)
    {
        if (message.Length > MaxMessageLength)
        {
            throw new FormatException("DNS message too long");
        }
        if (message.Length < DnsQuery.HeaderLength)
        {
            throw new FormatException("DNS message shorter than its header");
        }
        var id = BinaryPrimitives.ReadUInt16BigEndian(message);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        if ((flags & 0x8000) == 0)
        {
            throw new FormatException("DNS message is not a response");
        }
        var questionCount = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        var answerCount = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        var authorityCount = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        var additionalCount = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        var remaining = message.Length - DnsQuery.HeaderLength;
        if ((long)questionCount * MinQuestionLength + ((long)answerCount + authorityCount + additionalCount) * MinRecordLength > remaining)
        {
            throw new FormatException("DNS section counts exceed the message");
        }

        var offset = DnsQuery.HeaderLength;
        var questions = new List<DnsQuestion>(questionCount);
        for (var i = 0; i < questionCount; i++)
        {
            var name = ReadName(message, ref offset);
            var type = ReadUInt16(message, ref offset);
            var @class = ReadUInt16(message, ref offset);
            questions.Add(new DnsQuestion(name, type, @class));
        }
        var answers = new List<DnsRecord>(answerCount);
        for (var i = 0; i < answerCount; i++)
        {
            answers.Add(ReadRecord(message, ref offset, keepData: true));
        }
        for (var i = 0; i < authorityCount + additionalCount; i++)
        {
            ReadRecord(message, ref offset, keepData: false);
        }
        return new DnsResponse(
            id,
            Opcode: (flags >> 11) & 0xf,
            IsTruncated: (flags & 0x0200) != 0,
            ResponseCode: flags & 0xf,
            questions,
            answers);
    }

    private static DnsRecord ReadRecord(ReadOnlySpan<byte> message, ref int offset, bool keepData)
    {
        var name = ReadName(message, ref offset);
        var type = ReadUInt16(message, ref offset);
        var @class = ReadUInt16(message, ref offset);
        var ttl = (uint)(ReadUInt16(message, ref offset) << 16) | ReadUInt16(message, ref offset);
        var dataLength = ReadUInt16(message, ref offset);
        if (dataLength > message.Length - offset)
        {
            throw new FormatException("DNS record data runs past the message");
        }
        var dataStart = offset;
        offset += dataLength;
        if (!keepData)
        {
            return new DnsRecord(name, type, @class, ttl, null, null);
        }
        return type switch
        {
            DnsRecordType.Txt => new DnsRecord(name, type, @class, ttl, ReadText(message.Slice(dataStart, dataLength)), null),
            DnsRecordType.Cname => new DnsRecord(name, type, @class, ttl, null, ReadNameExactly(message, dataStart, dataLength)),
            _ => new DnsRecord(name, type, @class, ttl, null, null),
        };
    }

    /// <summary>TXT rdata: one or more character-strings (a length byte, then that many bytes) filling it exactly.</summary>
    private static string ReadText(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            throw new FormatException("TXT record without character-strings");
        }
        var joined = new byte[data.Length];
        var length = 0;
        var offset = 0;
        while (offset < data.Length)
        {
            var stringLength = data[offset++];
            if (stringLength > data.Length - offset)
            {
                throw new FormatException("TXT character-string runs past its record");
            }
            data.Slice(offset, stringLength).CopyTo(joined.AsSpan(length));
            length += stringLength;
            offset += stringLength;
        }
        return Encoding.UTF8.GetString(joined, 0, length);
    }

    /// <summary>A name that must end exactly at the end of the record data holding it (CNAME rdata).</summary>
    private static string ReadNameExactly(ReadOnlySpan<byte> message, int start, int length)
    {
        var offset = start;
        var name = ReadName(message[..(start + length)], ref offset);
        if (offset != start + length)
        {
            throw new FormatException("DNS name does not fill its record data");
        }
        return name;
    }

    /// <summary>
    /// Reads a possibly compressed name at <paramref name="offset"/>, leaving <paramref name="offset"/> after its
    /// in-place part (the terminating zero or the first pointer).
    /// </summary>
    internal static string ReadName(ReadOnlySpan<byte> message, ref int offset)
    {
        var text = new StringBuilder();
        var position = offset;
        var lowestTarget = offset; // every pointer must point strictly below this, which then drops to the target
        var resume = -1;
        var encodedLength = 1; // the root byte
        var jumps = 0;
        while (true)
        {
            if (position >= message.Length)
            {
                throw new FormatException("DNS name runs past the message");
            }
            var lengthByte = message[position];
            if (lengthByte == 0)
            {
                position++;
                break;
            }
            switch (lengthByte & 0xc0)
            {
                case 0xc0:
                    if (position + 1 >= message.Length)
                    {
                        throw new FormatException("DNS compression pointer runs past the message");
                    }
                    var target = ((lengthByte & 0x3f) << 8) | message[position + 1];
                    if (target >= lowestTarget || ++jumps > MaxPointerJumps)
                    {
                        throw new FormatException("DNS compression pointer does not point backwards");
                    }
                    if (resume < 0)
                    {
                        resume = position + 2;
                    }
                    lowestTarget = target;
                    position = target;
                    continue;
                case 0x00:
                    break;
                default:
                    throw new FormatException("unsupported DNS label type");
            }
            if (lengthByte > message.Length - position - 1)
            {
                throw new FormatException("DNS label runs past the message");
            }
            encodedLength += lengthByte + 1;
            if (encodedLength > DnsName.MaxEncodedLength)
            {
                throw new FormatException("DNS name longer than 255 bytes");
            }
            DnsName.AppendLabel(text, message.Slice(position + 1, lengthByte));
            position += 1 + lengthByte;
        }
        offset = resume >= 0 ? resume : position;
        return text.Length == 0 ? "." : text.ToString();
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> message, ref int offset)
    {
        if (offset > message.Length - 2)
        {
            throw new FormatException("DNS message truncated");
        }
        var value = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
        offset += 2;
        return value;
    }
}
