using System.Buffers.Binary;
using System.Text;
using Dione.Libp2p.Multiformats;

namespace Dione.Kademlia.Records;

/// <summary>
/// A strict reader for the DAG-CBOR subset (ipld/specs dag-cbor): definite lengths, shortest argument encodings,
/// map keys that are text strings in length-then-bytewise order without duplicates, tag 42 (CID links) as the only
/// tag, 64-bit finite floats, true/false/null as the only simple values, valid UTF-8, integers within 64-bit
/// signed range, and nothing after the top-level value. Only the top-level map's entries are returned; nested values
/// are checked and skipped.
/// </summary>
internal sealed class DagCborReader
{
    /// <summary>Nesting deeper than this is refused.</summary>
    public const int MaxDepth = 32;

    private const int CidLinkTag = 42;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlyMemory<byte> _data;
    private int _position;

    private DagCborReader(ReadOnlyMemory<byte> data) => _data = data;

    private int Remaining => _data.Length - _position;

    /// <summary>Reads a document whose top-level value is a map with text keys.</summary>
    /// <exception cref="FormatException">anything that is not strict DAG-CBOR, or a top-level value other than a map.</exception>
    public static IReadOnlyDictionary<string, DagCborValue> ReadMap(ReadOnlyMemory<byte> data)
    {
        var reader = new DagCborReader(data);
        var (major, count) = reader.ReadHead();
        if (major != 5)
        {
            throw new FormatException("DAG-CBOR document is not a map");
        }
        var entries = new Dictionary<string, DagCborValue>(StringComparer.Ordinal);
        reader.ReadMapEntries(count, depth: 1, entries);
        if (reader.Remaining != 0)
        {
            throw new FormatException("trailing bytes after DAG-CBOR document");
        }
        return entries;
    }

    private void ReadMapEntries(ulong count, int depth, Dictionary<string, DagCborValue>? keep)
    {
        if (count > (ulong)Remaining / 2)
        {
            throw new FormatException("DAG-CBOR map longer than its input");
        }
        var previousKey = ReadOnlyMemory<byte>.Empty;
        for (ulong i = 0; i < count; i++)
        {
            var (keyMajor, keyLength) = ReadHead();
            if (keyMajor != 3)
            {
                throw new FormatException("DAG-CBOR map key is not a string");
            }
            var key = ReadText(keyLength);
            if (i > 0 && CompareKeys(previousKey.Span, key.Span) >= 0)
            {
                throw new FormatException("DAG-CBOR map keys out of canonical order or repeated");
            }
            previousKey = key;
            var value = ReadValue(depth);
            keep?.Add(Encoding.UTF8.GetString(key.Span), value);
        }
    }

    private DagCborValue ReadValue(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException("DAG-CBOR nested too deeply");
        }
        if (Remaining < 1)
        {
            throw new FormatException("truncated DAG-CBOR");
        }
        if (_data.Span[_position] >> 5 == 7)
        {
            ReadSimpleOrFloat();
            return DagCborValue.Other;
        }
        var (major, argument) = ReadHead();
        switch (major)
        {
            case 0:
                if (argument > long.MaxValue)
                {
                    throw new FormatException("DAG-CBOR integer beyond 64-bit signed range");
                }
                return DagCborValue.FromInteger((long)argument);
            case 1:
                if (argument > long.MaxValue)
                {
                    throw new FormatException("DAG-CBOR integer beyond 64-bit signed range");
                }
                return DagCborValue.FromInteger(-1 - (long)argument);
            case 2:
                return DagCborValue.FromBytes(Take(argument));
            case 3:
                return DagCborValue.FromText(ReadText(argument));
            case 4:
                if (argument > (ulong)Remaining)
                {
                    throw new FormatException("DAG-CBOR list longer than its input");
                }
                for (ulong i = 0; i < argument; i++)
                {
                    ReadValue(depth + 1);
                }
                return DagCborValue.Other;
            case 5:
                ReadMapEntries(argument, depth + 1, keep: null);
                return DagCborValue.Other;
            default:
                ReadLink(argument);
                return DagCborValue.Other;
        }
    }

    private void ReadLink(ulong tag)
    {
        if (tag != CidLinkTag)
        {
            throw new FormatException($"DAG-CBOR tag {tag} is not allowed");
        }
        var (major, length) = ReadHead();
        if (major != 2)
        {
            throw new FormatException("DAG-CBOR link is not a byte string");
        }
        var link = Take(length).Span;
        if (link.Length < 2 || link[0] != 0)
        {
            throw new FormatException("DAG-CBOR link lacks the identity multibase prefix");
        }
        try
        {
            Cid.FromBytes(link[1..]);
        }
        catch (FormatException e)
        {
            throw new FormatException("DAG-CBOR link is not a valid CID", e);
        }
    }

    private void ReadSimpleOrFloat()
    {
        var initial = _data.Span[_position++];
        switch (initial & 0x1f)
        {
            case 20 or 21 or 22:
                return;
            case 27:
                var bits = BinaryPrimitives.ReadInt64BigEndian(Take(8).Span);
                if (!double.IsFinite(BitConverter.Int64BitsToDouble(bits)))
                {
                    throw new FormatException("DAG-CBOR float is not finite");
                }
                return;
            default:
                throw new FormatException("DAG-CBOR simple value or float width not allowed");
        }
    }

    /// <summary>Reads an initial byte and its argument, refusing reserved, indefinite and non-shortest forms.</summary>
    private (int Major, ulong Argument) ReadHead()
    {
        if (Remaining < 1)
        {
            throw new FormatException("truncated DAG-CBOR");
        }
        var initial = _data.Span[_position++];
        var major = initial >> 5;
        var info = initial & 0x1f;
        if (major == 7)
        {
            throw new FormatException("DAG-CBOR simple value where a string, number or container is required");
        }
        ulong argument;
        ulong smallest;
        switch (info)
        {
            case < 24:
                return (major, (ulong)info);
            case 24:
                argument = Take(1).Span[0];
                smallest = 24;
                break;
            case 25:
                argument = BinaryPrimitives.ReadUInt16BigEndian(Take(2).Span);
                smallest = 0x100;
                break;
            case 26:
                argument = BinaryPrimitives.ReadUInt32BigEndian(Take(4).Span);
                smallest = 0x1_0000;
                break;
            case 27:
                argument = BinaryPrimitives.ReadUInt64BigEndian(Take(8).Span);
                smallest = 0x1_0000_0000;
                break;
            case 31:
                throw new FormatException("DAG-CBOR forbids indefinite lengths");
            default:
                throw new FormatException("reserved CBOR additional information");
        }
        if (argument < smallest)
        {
            throw new FormatException("DAG-CBOR argument not in its shortest form");
        }
        return (major, argument);
    }

    private ReadOnlyMemory<byte> ReadText(ulong length)
    {
        var text = Take(length);
        try
        {
            StrictUtf8.GetCharCount(text.Span);
        }
        catch (DecoderFallbackException e)
        {
            throw new FormatException("DAG-CBOR string is not valid UTF-8", e);
        }
        return text;
    }

    private ReadOnlyMemory<byte> Take(ulong length)
    {
        if (length > (ulong)Remaining)
        {
            throw new FormatException("truncated DAG-CBOR");
        }
        var slice = _data.Slice(_position, (int)length);
        _position += (int)length;
        return slice;
    }

    /// <summary>DAG-CBOR map key order: shorter keys first, then bytewise.</summary>
    private static int CompareKeys(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) =>
        left.Length != right.Length ? left.Length.CompareTo(right.Length) : left.SequenceCompareTo(right);
}
