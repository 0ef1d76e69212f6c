using System.Text;

namespace Dione.TestSupport.Mutation;

/// <summary>
/// The seeded mutator for every parser robustness loop of every test project. One input in ten is plain random garbage;
/// the others are a valid input with one to four edits, each one of: a bit flip, a random byte, an interesting byte
/// (varint and length edges 0x00, 0x01, 0x3f, 0x40, 0x7f, 0x80, 0x81, CBOR/DNS markers 0x0c, 0xc0, 0xc1, then 0xfe, 0xff,
/// or the old value ± 1), an insertion of random bytes, a deletion, a truncation, a duplicated run, or a run of at least
/// one byte spliced in from another valid input; edits that cancel out get one more, so no input comes back unchanged.
/// When hot spots (offsets of length prefixes, header fields) are given, half of the point edits land on one of them.
/// Text inputs get the same kinds of edits at character level.
/// </summary>
public sealed class SeededMutator(int seed)
{
    private const int MaxEdits = 4;
    private const int GarbageOneIn = 10;
    private const int MaxGarbageLength = 64;
    private const int MaxInsertLength = 8;
    private const int MaxDeleteLength = 16;
    private const int MaxDuplicateLength = 64;

    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x0c, 0x3f, 0x40, 0x7f, 0x80, 0x81, 0xc0, 0xc1, 0xfe, 0xff];

    // Separators, control characters, the end of Latin-1, lone surrogates and the replacement character.
    private static readonly char[] InterestingChars = ['\0', '\n', ' ', '/', '%', '\u007f', '\u00ff', '\ud800', '\udfff', '\ufffd'];

    /// <summary>The generator behind every choice; tests draw their other random choices (read sizes) from it too.</summary>
    public Random Random { get; } = new(seed);

    /// <summary>A mutation of one of <paramref name="seeds"/>, picked at random; splices come from all of them.</summary>
    public byte[] Next(IReadOnlyList<byte[]> seeds) => Mutate(seeds[Random.Next(seeds.Count)], hotSpots: null, seeds);

    /// <summary>A mutation of <paramref name="original"/>. Splices come from <paramref name="spliceSources"/>, or from
    /// <paramref name="original"/> itself when there are none.</summary>
    public byte[] Mutate(byte[] original, IReadOnlyList<int>? hotSpots = null, IReadOnlyList<byte[]>? spliceSources = null)
    {
        if (Random.Next(GarbageOneIn) == 0)
        {
            var garbage = new byte[Random.Next(MaxGarbageLength)];
            Random.NextBytes(garbage);
            return garbage;
        }
        var bytes = new List<byte>(original);
        IReadOnlyList<byte[]> sources = spliceSources is { Count: > 0 } ? spliceSources : [original];
        var edits = Random.Next(1, MaxEdits + 1);
        for (var edit = 0; edit < edits || bytes.SequenceEqual(original); edit++)
        {
            // Edits can cancel out (a bit flipped twice): one more until the input really changed.
            Edit(bytes, hotSpots, sources);
        }
        return [.. bytes];
    }

    /// <summary>A character-level mutation of one of <paramref name="seeds"/>; replacements and insertions mostly come
    /// from <paramref name="alphabet"/> (the characters the format uses), splices from all seeds.</summary>
    public string NextText(IReadOnlyList<string> seeds, string alphabet)
    {
        if (Random.Next(GarbageOneIn) == 0)
        {
            return string.Concat(Enumerable.Range(0, Random.Next(MaxGarbageLength)).Select(_ => alphabet[Random.Next(alphabet.Length)]));
        }
        var original = seeds[Random.Next(seeds.Count)];
        var text = new StringBuilder(original);
        var edits = Random.Next(1, MaxEdits + 1);
        for (var edit = 0; edit < edits || text.Equals(original); edit++)
        {
            Edit(text, alphabet, seeds);
        }
        return text.ToString();
    }

    private void Edit(List<byte> bytes, IReadOnlyList<int>? hotSpots, IReadOnlyList<byte[]> spliceSources)
    {
        switch (Random.Next(8))
        {
            case 0 when bytes.Count > 0:
                bytes[PointOffset(bytes.Count, hotSpots)] ^= (byte)(1 << Random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                bytes[PointOffset(bytes.Count, hotSpots)] = (byte)Random.Next(256);
                break;
            case 2 when bytes.Count > 0:
                var at = PointOffset(bytes.Count, hotSpots);
                bytes[at] = Interesting(bytes[at]);
                break;
            case 3:
                var inserted = new byte[Random.Next(1, MaxInsertLength + 1)];
                Random.NextBytes(inserted);
                bytes.InsertRange(Random.Next(bytes.Count + 1), inserted);
                break;
            case 4 when bytes.Count > 0:
                var removeAt = Random.Next(bytes.Count);
                bytes.RemoveRange(removeAt, Random.Next(1, Math.Min(MaxDeleteLength, bytes.Count - removeAt) + 1));
                break;
            case 5 when bytes.Count > 0:
                var cut = Random.Next(bytes.Count);
                bytes.RemoveRange(cut, bytes.Count - cut);
                break;
            case 6 when bytes.Count > 0:
                var start = Random.Next(bytes.Count);
                var run = bytes.GetRange(start, Random.Next(1, Math.Min(MaxDuplicateLength, bytes.Count - start) + 1));
                bytes.InsertRange(Random.Next(bytes.Count + 1), run);
                break;
            case 7 when spliceSources[Random.Next(spliceSources.Count)] is { Length: > 0 } spliceSource:
                // A run of at least one byte: an empty splice would leave the input unchanged.
                var from = Random.Next(spliceSource.Length);
                var slice = spliceSource.AsSpan(from, Random.Next(1, spliceSource.Length - from + 1)).ToArray();
                bytes.InsertRange(Random.Next(bytes.Count + 1), slice);
                break;
            default:
                // A point edit on an empty input, or a splice from an empty source: grow the input instead.
                bytes.Add((byte)Random.Next(256));
                break;
        }
    }

    private void Edit(StringBuilder text, string alphabet, IReadOnlyList<string> spliceSources)
    {
        var at = text.Length == 0 ? 0 : Random.Next(text.Length);
        switch (Random.Next(8))
        {
            case 0 when text.Length > 0:
                text[at] = alphabet[Random.Next(alphabet.Length)];
                break;
            case 1 when text.Length > 0:
                text[at] = (char)(text[at] ^ (1 << Random.Next(8)));
                break;
            case 2 when text.Length > 0:
                // An interesting character, or any one of the whole BMP (lone surrogates included).
                text[at] = Random.Next(2) == 0 ? InterestingChars[Random.Next(InterestingChars.Length)] : (char)Random.Next(0x20, 0xFFFF);
                break;
            case 3:
                var insertAt = Random.Next(text.Length + 1);
                for (var n = Random.Next(1, MaxInsertLength + 1); n > 0; n--)
                {
                    text.Insert(insertAt, alphabet[Random.Next(alphabet.Length)]);
                }
                break;
            case 4 when text.Length > 0:
                text.Remove(at, Random.Next(1, Math.Min(MaxDeleteLength, text.Length - at) + 1));
                break;
            case 5 when text.Length > 0:
                text.Length = at;
                break;
            case 6 when text.Length > 0:
                var run = text.ToString(at, Random.Next(1, Math.Min(MaxDuplicateLength, text.Length - at) + 1));
                text.Insert(Random.Next(text.Length + 1), run);
                break;
            case 7 when spliceSources[Random.Next(spliceSources.Count)] is { Length: > 0 } spliceSource:
                var from = Random.Next(spliceSource.Length);
                text.Insert(Random.Next(text.Length + 1), spliceSource.AsSpan(from, Random.Next(1, spliceSource.Length - from + 1)));
                break;
            default:
                text.Append(alphabet[Random.Next(alphabet.Length)]);
                break;
        }
    }

    private int PointOffset(int count, IReadOnlyList<int>? hotSpots)
    {
        if (hotSpots is { Count: > 0 } && Random.Next(2) == 0)
        {
            var spot = hotSpots[Random.Next(hotSpots.Count)];
            if (spot < count)
            {
                return spot;
            }
        }
        return Random.Next(count);
    }

    private byte Interesting(byte old) => Random.Next(InterestingBytes.Length + 2) switch
    {
        var pick when pick < InterestingBytes.Length => InterestingBytes[pick],
        var pick when pick == InterestingBytes.Length => (byte)(old + 1),
        _ => (byte)(old - 1),
    };
}
