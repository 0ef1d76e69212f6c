using System.Diagnostics;

namespace Dione.Kademlia.Tests.TestSupport;

/// <summary>
/// A seeded mutation fuzzer: mutates valid inputs (bit flips, byte replacement, insertion, deletion, truncation,
/// duplication, splicing) and checks the target either accepts each or throws one of the allowed exception types.
/// </summary>
internal static class ByteMutator
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7f, 0x80, 0x81, 0xfe, 0xff];

    /// <summary>Runs <paramref name="iterations"/> mutated inputs; returns how many were accepted.</summary>
    public static async Task<int> RunAsync(int seed, int iterations, IReadOnlyList<byte[]> corpus, Func<byte[], Task> target, params Type[] allowed)
    {
        var random = new Random(seed);
        var accepted = 0;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            var input = Mutate(random, corpus[random.Next(corpus.Count)], corpus);
            try
            {
                await target(input);
                accepted++;
            }
            catch (Exception e) when (allowed.Any(t => t.IsInstanceOfType(e)))
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name} on input {Convert.ToHexString(input)}: {e}");
            }
        }
        // A guard against hangs and runaway parsing, not a speed test: loops take seconds on an idle machine.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(120), $"mutation loop too slow: {watch.Elapsed}");
        return accepted;
    }

    public static byte[] Mutate(Random random, byte[] source, IReadOnlyList<byte[]> corpus)
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
}
