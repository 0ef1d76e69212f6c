namespace Dione.Libp2p.Tests.Multistream;

/// <summary>Seeded random mutations of byte inputs for parser robustness loops.</summary>
internal sealed class ByteMutator
{
    private readonly Random _random;
    private readonly byte[][] _seeds;

    public ByteMutator(int seed, params byte[][] seeds)
    {
        _random = new Random(seed);
        _seeds = seeds;
    }

    public Random Random => _random;

    /// <summary>A seed with 1 to 4 random edits, or (one time in ten) plain random bytes.</summary>
    public byte[] Next()
    {
        if (_random.Next(10) == 0)
        {
            var noise = new byte[_random.Next(0, 64)];
            _random.NextBytes(noise);
            return noise;
        }
        var bytes = new List<byte>(_seeds[_random.Next(_seeds.Length)]);
        var edits = _random.Next(1, 5);
        for (var i = 0; i < edits; i++)
        {
            Edit(bytes);
        }
        return [.. bytes];
    }

    private void Edit(List<byte> bytes)
    {
        var at = bytes.Count == 0 ? 0 : _random.Next(bytes.Count);
        switch (_random.Next(7))
        {
            case 0 when bytes.Count > 0:
                bytes[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                bytes[at] = (byte)_random.Next(256);
                break;
            case 2:
                bytes.Insert(at, (byte)_random.Next(256));
                break;
            case 3 when bytes.Count > 0:
                bytes.RemoveAt(at);
                break;
            case 4:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 5 when bytes.Count > 0:
                var length = _random.Next(1, Math.Min(16, bytes.Count - at) + 1);
                bytes.InsertRange(at, bytes.GetRange(at, length));
                break;
            case 6:
                var other = _seeds[_random.Next(_seeds.Length)];
                var start = _random.Next(other.Length + 1);
                bytes.InsertRange(at, other[start..Math.Min(other.Length, start + _random.Next(1, 24))]);
                break;
            default:
                bytes.Add((byte)_random.Next(256));
                break;
        }
    }
}
