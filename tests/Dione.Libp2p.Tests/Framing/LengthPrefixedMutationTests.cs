using Dione.Libp2p.Framing;
using Dione.Libp2p.Protos;
using Dione.Libp2p.Tests.TestSupport;
using Google.Protobuf;
using Xunit.Abstractions;

namespace Dione.Libp2p.Tests.Framing;

/// <summary>
/// Seeded mutation loops: any byte sequence yields frames, null at the end, or an
/// <see cref="InvalidDataException"/> / <see cref="EndOfStreamException"/> — nothing else.
/// </summary>
public class LengthPrefixedMutationTests(ITestOutputHelper output)
{
    private const int Iterations = 100_000;
    private const int MaxSize = 4096;
    private const string CleanEnd = "clean end";

    private static byte[] Frames(params byte[][] payloads)
    {
        var stream = new MemoryStream();
        foreach (var payload in payloads)
        {
            LengthPrefixed.WriteAsync(stream, payload, CancellationToken.None).GetAwaiter().GetResult();
        }
        return stream.ToArray();
    }

    private static byte[] MessageFrames(params IMessage[] messages)
    {
        var stream = new MemoryStream();
        foreach (var message in messages)
        {
            LengthPrefixed.WriteMessageAsync(stream, message, CancellationToken.None).GetAwaiter().GetResult();
        }
        return stream.ToArray();
    }

    [Fact]
    public async Task Reader_survives_mutated_frames()
    {
        byte[][] seeds =
        [
            Frames([]),
            Frames("hello"u8.ToArray(), new byte[200]),
            Frames(new byte[MaxSize]),
            Frames(new byte[3000], [1], [2, 3]),
            [0x80, 0x80, 0x80, 0x80, 0x80, 0x20],
        ];
        var mutator = new SeededMutator(31337);
        var tally = new MutationTally(typeof(InvalidDataException), typeof(EndOfStreamException));
        for (var i = 0; i < Iterations; i++)
        {
            var input = mutator.Next(seeds);
            var stream = new ScriptedDuplexStream(input, maxReadChunk: mutator.Random.Next(1, 600));
            await tally.RecordAsync(input, async () =>
            {
                var consumed = 0;
                while (await LengthPrefixed.ReadAsync(stream, MaxSize, CancellationToken.None) is { } payload)
                {
                    Assert.True(payload.Length <= MaxSize);
                    consumed += payload.Length;
                }
                Assert.True(consumed <= input.Length);
                return CleanEnd;
            });
        }
        tally.Finish(output);
        Assert.True(tally[CleanEnd] > 1000);
    }

    [Fact]
    public async Task Protobuf_reader_survives_mutated_messages()
    {
        var key = new PublicKey { Type = KeyType.Ed25519, Data = ByteString.CopyFrom(new byte[32]) };
        var rsa = new PublicKey { Type = KeyType.Rsa, Data = ByteString.CopyFrom(new byte[300]) };
        byte[][] seeds = [MessageFrames(key), MessageFrames(rsa, key), MessageFrames(key, key, key)];
        var mutator = new SeededMutator(8675309);
        var tally = new MutationTally(typeof(InvalidDataException), typeof(EndOfStreamException));
        for (var i = 0; i < Iterations; i++)
        {
            var input = mutator.Next(seeds);
            var stream = new ScriptedDuplexStream(input, maxReadChunk: mutator.Random.Next(1, 400));
            await tally.RecordAsync(input, async () =>
            {
                while (await LengthPrefixed.ReadMessageAsync(stream, PublicKey.Parser, 1024, CancellationToken.None) is { } message)
                {
                    Assert.True(message.HasType && message.HasData);
                }
                return CleanEnd;
            });
        }
        tally.Finish(output);
        Assert.True(tally[CleanEnd] > 1000);
    }
}
