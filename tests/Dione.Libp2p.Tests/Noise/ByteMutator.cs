namespace Dione.Libp2p.Tests.Noise;

/// <summary>Seeded structural mutations of a byte string, for parser robustness loops.</summary>
internal sealed class ByteMutator(int seed)
{
    private readonly Random _random = new(seed);

    public Random Random => _random;

    /// <summary>One to three mutations of <paramref name="original"/>; <paramref name="hotSpots"/> are offsets worth
    /// hitting more often (length prefixes, field tags).</summary>
    public byte[] Mutate(byte[] original, IReadOnlyList<int>? hotSpots = null)
    {
        var bytes = new List<byte>(original);
        var rounds = 1 + _random.Next(3);
        for (var round = 0; round < rounds; round++)
        {
            switch (_random.Next(8))
            {
                case 0 when bytes.Count > 0:
                    var bit = _random.Next(bytes.Count * 8);
                    bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[_random.Next(bytes.Count)] = (byte)_random.Next(256);
                    break;
                case 2:
                    var cut = _random.Next(bytes.Count + 1);
                    bytes.RemoveRange(cut, bytes.Count - cut);
                    break;
                case 3:
                    var insertAt = _random.Next(bytes.Count + 1);
                    var inserted = new byte[1 + _random.Next(8)];
                    _random.NextBytes(inserted);
                    bytes.InsertRange(insertAt, inserted);
                    break;
                case 4 when hotSpots is { Count: > 0 }:
                    var spot = hotSpots[_random.Next(hotSpots.Count)];
                    if (spot < bytes.Count)
                    {
                        bytes[spot] = _random.Next(4) switch
                        {
                            0 => 0x00,
                            1 => 0xff,
                            2 => (byte)(bytes[spot] + 1),
                            _ => (byte)_random.Next(256),
                        };
                    }
                    break;
                case 5 when bytes.Count > 1:
                    var start = _random.Next(bytes.Count);
                    var length = 1 + _random.Next(Math.Min(64, bytes.Count - start));
                    bytes.InsertRange(_random.Next(bytes.Count + 1), bytes.GetRange(start, length));
                    break;
                case 6 when bytes.Count > 1:
                    var removeAt = _random.Next(bytes.Count);
                    bytes.RemoveRange(removeAt, 1 + _random.Next(Math.Min(16, bytes.Count - removeAt)));
                    break;
                case 7:
                    var garbage = new byte[_random.Next(64)];
                    _random.NextBytes(garbage);
                    return garbage;
            }
        }
        return [.. bytes];
    }
}
