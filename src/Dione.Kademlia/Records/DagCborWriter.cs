using System.Buffers.Binary;
using System.Text;

namespace Dione.Kademlia.Records;

/// <summary>
/// Writes the few DAG-CBOR items an IPNS record's data needs (map header, text, bytes, non-negative integers) in
/// their shortest forms. The caller writes map keys in DAG-CBOR order.
/// </summary>
internal sealed class DagCborWriter
{
    private readonly MemoryStream _output = new();

    public void WriteMapHeader(int count) => WriteHead(5, (ulong)count);

    public void WriteText(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        WriteHead(3, (ulong)utf8.Length);
        _output.Write(utf8);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        WriteHead(2, (ulong)bytes.Length);
        _output.Write(bytes);
    }

    public void WriteUnsigned(ulong value) => WriteHead(0, value);

    public byte[] ToArray() => _output.ToArray();

    private void WriteHead(int major, ulong argument)
    {
        Span<byte> head = stackalloc byte[9];
        var type = (byte)(major << 5);
        int length;
        if (argument < 24)
        {
            head[0] = (byte)(type | (byte)argument);
            length = 1;
        }
        else if (argument <= byte.MaxValue)
        {
            head[0] = (byte)(type | 24);
            head[1] = (byte)argument;
            length = 2;
        }
        else if (argument <= ushort.MaxValue)
        {
            head[0] = (byte)(type | 25);
            BinaryPrimitives.WriteUInt16BigEndian(head[1..], (ushort)argument);
            length = 3;
        }
        else if (argument <= uint.MaxValue)
        {
            head[0] = (byte)(type | 26);
            BinaryPrimitives.WriteUInt32BigEndian(head[1..], (uint)argument);
            length = 5;
        }
        else
        {
            head[0] = (byte)(type | 27);
            BinaryPrimitives.WriteUInt64BigEndian(head[1..], argument);
            length = 9;
        }
        _output.Write(head[..length]);
    }
}
