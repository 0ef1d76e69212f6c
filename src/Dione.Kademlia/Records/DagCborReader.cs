using System.Formats.Cbor;
using Dione.Libp2p.Multiformats;

namespace Dione.Kademlia.Records;

/// <summary>
/// Reads a strict DAG-CBOR document (ipld/specs dag-cbor) whose top-level value is a map with text keys.
/// System.Formats.Cbor in canonical mode checks what DAG-CBOR shares with canonical CBOR: definite lengths, shortest
/// arguments, map keys sorted length-first then bytewise without repeats, valid UTF-8, nothing cut short. This class
/// adds the rules of DAG-CBOR's own: text map keys only, tag 42 (CID links) as the only tag, finite 64-bit floats
/// only, true/false/null as the only simple values, integers within 64-bit signed range, a nesting limit and nothing
/// after the top-level value.
/// </summary>
internal sealed class DagCborReader
{
    /// <summary>Nesting deeper than this is refused.</summary>
    public const int MaxDepth = 32;

    private const ulong CidLinkTag = 42;

    private readonly ReadOnlyMemory<byte> _data;
    private readonly CborReader _reader;

    private DagCborReader(ReadOnlyMemory<byte> data)
    {
        _data = data;
        _reader = new CborReader(data, CborConformanceMode.Canonical);
    }

    private int Position => _data.Length - _reader.BytesRemaining;

    /// <summary>The top-level map's entries, each value as its own (checked) encoding; nested values are checked and kept only inside those encodings.</summary>
    /// <exception cref="FormatException">anything that is not strict DAG-CBOR, or a top-level value other than a map.</exception>
    public static IReadOnlyDictionary<string, ReadOnlyMemory<byte>> ReadMap(ReadOnlyMemory<byte> data)
    {
        var reader = new DagCborReader(data);
        try
        {
            if (reader._reader.PeekState() != CborReaderState.StartMap)
            {
                throw new FormatException("DAG-CBOR document is not a map");
            }
            var entries = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
            reader.ReadMapEntries(depth: 1, entries);
            if (reader._reader.BytesRemaining != 0)
            {
                throw new FormatException("trailing bytes after DAG-CBOR document");
            }
            return entries;
        }
        catch (CborContentException e)
        {
            throw new FormatException("not canonical CBOR: " + e.Message, e);
        }
    }

    private void ReadMapEntries(int depth, Dictionary<string, ReadOnlyMemory<byte>>? keep)
    {
        _reader.ReadStartMap();
        while (_reader.PeekState() != CborReaderState.EndMap)
        {
            if (_reader.PeekState() != CborReaderState.TextString)
            {
                throw new FormatException("DAG-CBOR map key is not a string");
            }
            var key = _reader.ReadTextString();
            var start = Position;
            ReadValue(depth);
            keep?.Add(key, _data[start..Position]);
        }
        _reader.ReadEndMap();
    }

    private void ReadValue(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException("DAG-CBOR nested too deeply");
        }
        switch (_reader.PeekState())
        {
            case CborReaderState.UnsignedInteger:
                ThrowIfBeyondInt64(_reader.ReadUInt64());
                break;
            case CborReaderState.NegativeInteger:
                ThrowIfBeyondInt64(_reader.ReadCborNegativeIntegerRepresentation());
                break;
            case CborReaderState.ByteString or CborReaderState.TextString or CborReaderState.Boolean or CborReaderState.Null:
                _reader.SkipValue();
                break;
            case CborReaderState.StartArray:
                _reader.ReadStartArray();
                while (_reader.PeekState() != CborReaderState.EndArray)
                {
                    ReadValue(depth + 1);
                }
                _reader.ReadEndArray();
                break;
            case CborReaderState.StartMap:
                ReadMapEntries(depth + 1, keep: null);
                break;
            case CborReaderState.Tag:
                ReadLink();
                break;
            case CborReaderState.DoublePrecisionFloat:
                if (!double.IsFinite(_reader.ReadDouble()))
                {
                    throw new FormatException("DAG-CBOR float is not finite");
                }
                break;
            case CborReaderState.HalfPrecisionFloat or CborReaderState.SinglePrecisionFloat:
                throw new FormatException("DAG-CBOR float width not allowed: floats are 64-bit");
            case var other:
                throw new FormatException($"DAG-CBOR simple value not allowed ({other})");
        }
    }

    private static void ThrowIfBeyondInt64(ulong magnitude)
    {
        if (magnitude > long.MaxValue)
        {
            throw new FormatException("DAG-CBOR integer beyond 64-bit signed range");
        }
    }

    /// <summary>A CID link: tag 42 on a byte string holding the identity multibase prefix (0x00) and a binary CID.</summary>
    private void ReadLink()
    {
        var tag = (ulong)_reader.ReadTag();
        if (tag != CidLinkTag)
        {
            throw new FormatException($"DAG-CBOR tag {tag} is not allowed");
        }
        if (_reader.PeekState() != CborReaderState.ByteString)
        {
            throw new FormatException("DAG-CBOR link is not a byte string");
        }
        var link = _reader.ReadByteString();
        if (link.Length < 2 || link[0] != 0)
        {
            throw new FormatException("DAG-CBOR link lacks the identity multibase prefix");
        }
        try
        {
            Cid.FromBytes(link.AsSpan(1));
        }
        catch (FormatException e)
        {
            throw new FormatException("DAG-CBOR link is not a valid CID", e);
        }
    }
}
