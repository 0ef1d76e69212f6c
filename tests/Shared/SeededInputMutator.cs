namespace Dione.Tests.Shared;

/// <summary>Seeded mutations of seed messages (compiled into each test project): bit flips, interesting bytes, insertions, deletions, truncation, splicing.</summary>
internal sealed class SeededInputMutator(int seed, params byte[][] seeds)
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x3f, 0x40, 0x7f, 0x80, 0xc0, 0xc1, 0xff, 0x0c];

    public Random Random { get; } = new(seed);

    public byte[] Next()
    {
        var input = new List<byte>(seeds[Random.Next(seeds.Length)]);
        var mutations = Random.Next(1, 5);
        for (var m = 0; m < mutations; m++)
        {
            switch (Random.Next(7))
            {
                case 0 when input.Count > 0:
                    input[Random.Next(input.Count)] ^= (byte)(1 << Random.Next(8));
                    break;
                case 1 when input.Count > 0:
                    input[Random.Next(input.Count)] = Interesting[Random.Next(Interesting.Length)];
                    break;
                case 2 when input.Count > 0:
                    input[Random.Next(input.Count)] = (byte)Random.Next(256);
                    break;
                case 3:
                    input.Insert(Random.Next(input.Count + 1), (byte)Random.Next(256));
                    break;
                case 4 when input.Count > 0:
                    input.RemoveAt(Random.Next(input.Count));
                    break;
                case 5 when input.Count > 0:
                    var keep = Random.Next(input.Count + 1);
                    input.RemoveRange(keep, input.Count - keep);
                    break;
                case 6:
                    var other = seeds[Random.Next(seeds.Length)];
                    if (other.Length > 0)
                    {
                        var from = Random.Next(other.Length);
                        var count = Random.Next(1, Math.Min(32, other.Length - from) + 1);
                        input.InsertRange(Random.Next(input.Count + 1), other.Skip(from).Take(count));
                    }
                    break;
            }
        }
        return [.. input];
    }
}
