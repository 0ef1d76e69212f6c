using System.Buffers.Binary;

namespace Dione.Kademlia.Bootstrap;

/// <summary>Builds a standard recursive query for one name and type (RFC 1035 section 4.1), optionally with an EDNS(0) OPT record.</summary>
internal static class DnsQuery
{
    public const int HeaderLength = 12;

    /// <summary>Recursion desired.</summary>
    private const ushort RecursionDesiredFlag = 0x0100;

    private const int OptRecordLength = 11;

    /// <param name="id">the message id the response must echo.</param>
    /// <param name="encodedName">the name in wire form (<see cref="DnsName.Encode"/>).</param>
    /// <param name="type">the query type.</param>
    /// <param name="udpPayloadSize">the EDNS(0) UDP payload size to advertise, or 0 for no OPT record.</param>
    public static byte[] Build(ushort id, ReadOnlySpan<byte> encodedName, ushort type, ushort udpPayloadSize)
    {
        var withOpt = udpPayloadSize > 0;
        var message = new byte[HeaderLength + encodedName.Length + 4 + (withOpt ? OptRecordLength : 0)];
        var span = message.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, id);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], RecursionDesiredFlag);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], 1); // QDCOUNT
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], (ushort)(withOpt ? 1 : 0)); // ARCOUNT
        encodedName.CopyTo(span[HeaderLength..]);
        var offset = HeaderLength + encodedName.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[offset..], type);
        BinaryPrimitives.WriteUInt16BigEndian(span[(offset + 2)..], DnsRecordType.ClassIn);
        offset += 4;
        if (withOpt)
        {
            // Root owner name, type OPT, class = payload size, TTL = extended rcode/version/flags all 0, no options.
            span[offset] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(span[(offset + 1)..], DnsRecordType.Opt);
            BinaryPrimitives.WriteUInt16BigEndian(span[(offset + 3)..], udpPayloadSize);
        }
        return message;
    }
}
