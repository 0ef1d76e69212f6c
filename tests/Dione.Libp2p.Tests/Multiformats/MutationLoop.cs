using System.Diagnostics;

namespace Dione.Libp2p.Tests.Multiformats;

/// <summary>
/// A seeded mutation fuzzer: mutates valid inputs (bit flips, byte/char replacement, insertion, deletion,
/// truncation, duplication, splicing) and checks the parser either accepts or throws an allowed exception type.
/// Any other exception fails the test with the offending input.
/// </summary>
internal static class MutationLoop
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7f, 0x80, 0x81, 0xfe, 0xff];

    /// <summary>Runs <paramref name="iterations"/> mutated byte inputs; returns how many were accepted.</summary>
    public static int RunBytes(int seed, int iterations, IReadOnlyList<byte[]> corpus, Action<byte[]> parse, params Type[] allowed)
    {
        var random = new Random(seed);
        var accepted = 0;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            var input = Mutate(random, corpus[random.Next(corpus.Count)], corpus);
            if (Attempt(() => parse(input), allowed, () => Convert.ToHexString(input)))
            {
                accepted++;
            }
        }
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"mutation loop too slow: {watch.Elapsed}");
        return accepted;
    }

    /// <summary>Runs <paramref name="iterations"/> mutated text inputs; returns how many were accepted.</summary>
    public static int RunText(int seed, int iterations, IReadOnlyList<string> corpus, string alphabet, Action<string> parse, params Type[] allowed)
    {
        var random = new Random(seed);
        var accepted = 0;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            var input = Mutate(random, corpus[random.Next(corpus.Count)], alphabet, corpus);
            if (Attempt(() => parse(input), allowed, () => input))
            {
                accepted++;
            }
        }
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"mutation loop too slow: {watch.Elapsed}");
        return accepted;
    }

    private static bool Attempt(Action parse, Type[] allowed, Func<string> describe)
    {
        try
        {
            parse();
            return true;
        }
        catch (Exception e) when (allowed.Any(t => t.IsInstanceOfType(e)))
        {
            return false;
        }
        catch (Exception e)
        {
            Assert.Fail($"{e.GetType().Name} on input {describe()}: {e}");
            return false;
        }
    }

    private static byte[] Mutate(Random random, byte[] source, IReadOnlyList<byte[]> corpus)
    {
        var bytes = new List<byte>(source);
        var rounds = 1 + random.Next(4);
        for (var round = 0; round < rounds; round++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(8))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveAt(at);
                    break;
                case 4 when bytes.Count > 0:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 5 when bytes.Count > 0:
                    var length = random.Next(1, Math.Min(16, bytes.Count - at) + 1);
                    bytes.InsertRange(random.Next(bytes.Count + 1), bytes.GetRange(at, length));
                    break;
                case 6 when bytes.Count > 0:
                    bytes[at] = InterestingBytes[random.Next(InterestingBytes.Length)];
                    break;
                case 7:
                    var other = corpus[random.Next(corpus.Count)];
                    var from = random.Next(other.Length + 1);
                    bytes.InsertRange(at, other.AsSpan(from, random.Next(other.Length - from + 1)).ToArray());
                    break;
            }
        }
        return [.. bytes];
    }

    private static string Mutate(Random random, string source, string alphabet, IReadOnlyList<string> corpus)
    {
        var text = new System.Text.StringBuilder(source);
        var rounds = 1 + random.Next(4);
        for (var round = 0; round < rounds; round++)
        {
            var at = text.Length == 0 ? 0 : random.Next(text.Length);
            switch (random.Next(7))
            {
                case 0 when text.Length > 0:
                    text[at] = alphabet[random.Next(alphabet.Length)];
                    break;
                case 1:
                    text.Insert(at, alphabet[random.Next(alphabet.Length)]);
                    break;
                case 2 when text.Length > 0:
                    text.Remove(at, 1);
                    break;
                case 3 when text.Length > 0:
                    text.Length = at;
                    break;
                case 4 when text.Length > 0:
                    var length = random.Next(1, Math.Min(12, text.Length - at) + 1);
                    text.Insert(random.Next(text.Length + 1), text.ToString(at, length));
                    break;
                case 5 when text.Length > 0:
                    text[at] = (char)random.Next(0x20, 0xFFFF); // whole BMP, lone surrogates included
                    break;
                case 6:
                    var other = corpus[random.Next(corpus.Count)];
                    var from = random.Next(other.Length + 1);
                    text.Insert(at, other.AsSpan(from, random.Next(other.Length - from + 1)));
                    break;
            }
        }
        return text.ToString();
    }
}
