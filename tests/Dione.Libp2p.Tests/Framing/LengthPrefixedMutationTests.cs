using System.Diagnostics;
using Dione.Libp2p.Framing;
using Dione.Libp2p.Protos;
using Dione.Libp2p.Tests.Multistream;
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
        var mutator = new ByteMutator(
            31337,
            Frames([]),
            Frames("hello"u8.ToArray(), new byte[200]),
            Frames(new byte[MaxSize]),
            Frames(new byte[3000], [1], [2, 3]),
            [0x80, 0x80, 0x80, 0x80, 0x80, 0x20]);
        var outcomes = new Dictionary<string, int>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Iterations; i++)
        {
            var input = mutator.Next();
            var stream = new ScriptedDuplexStream(input, maxReadChunk: mutator.Random.Next(1, 600));
            string outcome;
            try
            {
                var consumed = 0;
                while (await LengthPrefixed.ReadAsync(stream, MaxSize, CancellationToken.None) is { } payload)
                {
                    Assert.True(payload.Length <= MaxSize);
                    consumed += payload.Length;
                }
                Assert.True(consumed <= input.Length);
                outcome = "clean end";
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                outcome = e.GetType().Name;
            }
            catch (Exception e)
            {
                Assert.Fail($"input {Convert.ToHexString(input)} raised {e}");
                throw;
            }
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        Report(clock, outcomes);
        Assert.True(outcomes.GetValueOrDefault("clean end") > 1000);
    }

    [Fact]
    public async Task Protobuf_reader_survives_mutated_messages()
    {
        var key = new PublicKey { Type = KeyType.Ed25519, Data = ByteString.CopyFrom(new byte[32]) };
        var rsa = new PublicKey { Type = KeyType.Rsa, Data = ByteString.CopyFrom(new byte[300]) };
        var mutator = new ByteMutator(8675309, MessageFrames(key), MessageFrames(rsa, key), MessageFrames(key, key, key));
        var outcomes = new Dictionary<string, int>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Iterations; i++)
        {
            var input = mutator.Next();
            var stream = new ScriptedDuplexStream(input, maxReadChunk: mutator.Random.Next(1, 400));
            string outcome;
            try
            {
                while (await LengthPrefixed.ReadMessageAsync(stream, PublicKey.Parser, 1024, CancellationToken.None) is { } message)
                {
                    Assert.True(message.HasType && message.HasData);
                }
                outcome = "clean end";
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                outcome = e.GetType().Name;
            }
            catch (Exception e)
            {
                Assert.Fail($"input {Convert.ToHexString(input)} raised {e}");
                throw;
            }
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        Report(clock, outcomes);
        Assert.True(outcomes.GetValueOrDefault("clean end") > 1000);
    }

    private void Report(Stopwatch clock, Dictionary<string, int> outcomes) =>
        output.WriteLine($"{Iterations} inputs in {clock.ElapsedMilliseconds} ms: "
            + string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}={o.Value}")));
}
