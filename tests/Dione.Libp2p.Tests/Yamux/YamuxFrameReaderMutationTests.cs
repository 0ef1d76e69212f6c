using Dione.Libp2p.Tests.TestSupport;
using Dione.Libp2p.Yamux;

namespace Dione.Libp2p.Tests.Yamux;

public class YamuxFrameReaderMutationTests
{
    [Fact]
    public void Parses_a_valid_frame_sequence_split_at_every_read_size()
    {
        var (wire, frames, _) = ValidFrames(new Random(1), 40);
        foreach (var readSize in new[] { 1, 5, 12, 13, 100, 4096 })
        {
            var parsed = ParseAll(wire, readSize, out var ending);
            Assert.Equal(Ending.Clean, ending);
            Assert.Equal(frames.Count, parsed.Count);
            for (var i = 0; i < frames.Count; i++)
            {
                Assert.Equal(frames[i].Item1, parsed[i].Item1);
                Assert.Equal(frames[i].Item2, parsed[i].Item2);
            }
        }
    }

    [Fact]
    public void Mutated_inputs_end_cleanly_or_with_documented_errors()
    {
        var mutator = new SeededMutator(20240601);
        var random = mutator.Random;
        var tally = new MutationTally();
        for (var i = 0; i < 100_000; i++)
        {
            var (wire, _, headerStarts) = ValidFrames(random, random.Next(1, 6));
            var mutated = mutator.Mutate(wire, YamuxTestUtil.HeaderByteOffsets(headerStarts));
            tally.Record(mutated, () =>
            {
                ParseAll(mutated, random.Next(1, 64), out var ending);
                return ending.ToString();
            });
        }
        tally.Finish();
        // The mutations must reach every outcome: clean parses, protocol errors and truncation.
        Assert.True(tally[nameof(Ending.Clean)] > 1000, tally.ToString());
        Assert.True(tally[nameof(Ending.ProtocolError)] > 1000, tally.ToString());
        Assert.True(tally[nameof(Ending.Truncated)] > 1000, tally.ToString());
    }

    private enum Ending
    {
        Clean,
        ProtocolError,
        Truncated,
    }

    // Drives YamuxFrameReader exactly like the session's read loop: headers from the buffer, data payloads skipped.
    private static List<(YamuxHeader, byte[])> ParseAll(byte[] wire, int readSize, out Ending ending)
    {
        var frames = new List<(YamuxHeader, byte[])>();
        using var transport = new MemoryStream(wire, writable: false);
        using var reader = new YamuxFrameReader(64);
        try
        {
            while (true)
            {
                YamuxHeader header;
                while (!reader.TryReadHeader(out header))
                {
                    var fill = reader.GetFillMemory();
                    var n = transport.Read(fill.Span[..Math.Min(readSize, fill.Length)]);
                    if (n == 0)
                    {
                        ending = reader.Buffered == 0 ? Ending.Clean : Ending.Truncated;
                        return frames;
                    }
                    reader.CommitFill(n);
                }
                var payloadLength = header.Type == YamuxFrameType.Data ? header.Length : 0;
                // A hostile length never causes an allocation: payloads are only collected when small.
                var payload = payloadLength <= 4096 ? new byte[payloadLength] : null;
                long offset = 0;
                while (offset < payloadLength)
                {
                    if (reader.Buffered == 0)
                    {
                        var fill = reader.GetFillMemory();
                        var n = transport.Read(fill.Span[..Math.Min(readSize, fill.Length)]);
                        if (n == 0)
                        {
                            ending = Ending.Truncated;
                            return frames;
                        }
                        reader.CommitFill(n);
                    }
                    var chunk = reader.Take((int)Math.Min(payloadLength - offset, (uint)reader.Buffered));
                    if (payload is not null)
                    {
                        chunk.CopyTo(payload.AsSpan((int)offset));
                    }
                    offset += chunk.Length;
                }
                frames.Add((header, payload ?? []));
            }
        }
        catch (YamuxProtocolException)
        {
            ending = Ending.ProtocolError;
            return frames;
        }
    }

    private static (byte[] Wire, List<(YamuxHeader, byte[])> Frames, List<int> HeaderStarts) ValidFrames(Random random, int count)
    {
        using var wire = new MemoryStream();
        var frames = new List<(YamuxHeader, byte[])>();
        var headerStarts = new List<int>();
        var headerBytes = new byte[YamuxHeader.Size];
        for (var i = 0; i < count; i++)
        {
            var type = (YamuxFrameType)random.Next(4);
            var payload = type == YamuxFrameType.Data ? YamuxTestUtil.RandomBytes(random.Next(0, 200), random.Next()) : [];
            var length = type == YamuxFrameType.Data ? (uint)payload.Length : (uint)random.Next();
            var header = new YamuxHeader(type, (YamuxFlags)random.Next(16), (uint)random.Next(0, 10), length);
            header.WriteTo(headerBytes);
            headerStarts.Add((int)wire.Position);
            wire.Write(headerBytes);
            wire.Write(payload);
            frames.Add((header, payload));
        }
        return (wire.ToArray(), frames, headerStarts);
    }
}
