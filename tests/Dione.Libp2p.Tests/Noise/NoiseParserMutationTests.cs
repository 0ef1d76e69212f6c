using System.Buffers.Binary;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Noise;
using Dione.Libp2p.Tests.TestSupport;
using Dione.Primitives.Crypto;

namespace Dione.Libp2p.Tests.Noise;

/// <summary>
/// Seeded mutation loops: damaged frames, payloads and handshake messages must end in the documented exception
/// (IOException, NoiseHandshakeException) or a clean result, never anything else, a hang or a large allocation.
/// </summary>
public class NoiseParserMutationTests
{
    private const int Inputs = 100_000;
    private const string Clean = "clean";

    [Fact]
    public async Task Frame_reader_survives_mutated_wire_data()
    {
        var writes = new[] { "a"u8.ToArray(), new byte[20], Enumerable.Range(0, 300).Select(i => (byte)i).ToArray(), "tail!"u8.ToArray() };
        var plaintext = writes.SelectMany(w => w).ToArray();
        var wire = NoiseStreamPair.Encrypt(writes);
        var hotSpots = FrameHeaderOffsets(wire);
        var mutator = new SeededMutator(20240601);
        var tally = new MutationTally(typeof(IOException));
        var output = new byte[plaintext.Length + 70_000];
        for (var i = 0; i < Inputs; i++)
        {
            var input = mutator.Mutate(wire, hotSpots);
            var received = 0;
            await tally.RecordAsync(input, async () =>
            {
                using var cipher = new NoiseCipherState(NoiseStreamPair.KeyA);
                using var reader = new NoiseFrameReader(new MemoryStream(input, writable: false), cipher);
                while (true)
                {
                    var want = 1 + mutator.Random.Next(400);
                    var destination = output.AsMemory(received, Math.Min(want, output.Length - received));
                    var read = i % 2 == 0 ? reader.Read(destination.Span) : await reader.ReadAsync(destination, CancellationToken.None);
                    if (read == 0)
                    {
                        return Clean;
                    }
                    received += read;
                }
            });
            // Authenticated encryption: whatever was delivered must be a prefix of what was sent.
            Assert.True(output.AsSpan(0, received).SequenceEqual(plaintext.AsSpan(0, received)), $"input {i} delivered forged data");
        }
        tally.Finish();
        Assert.True(tally[Clean] > 0 && tally.Refused > Inputs / 2, tally.ToString());
    }

    [Fact]
    public void Payload_decoder_survives_mutated_payloads()
    {
        var identity = PrivateKey.Generate(KeyType.Ed25519);
        var staticKey = X25519KeyPair.Generate();
        var payload = NoiseHandshakePayloadCodec.Create(identity, staticKey.PublicKey, ["/yamux/1.0.0", "/mplex/6.7.0"]);
        var hotSpots = Enumerable.Range(0, payload.Length).Where(i => i % 7 == 0 || i < 4).ToArray();
        var mutator = new SeededMutator(424242);
        var tally = new MutationTally(typeof(NoiseHandshakeException));
        var verified = 0;
        for (var i = 0; i < Inputs; i++)
        {
            var input = mutator.Mutate(payload, hotSpots);
            tally.Record(input, () =>
            {
                var (key, signature, muxers) = NoiseHandshakePayloadCodec.Decode(input);
                Assert.NotNull(key);
                Assert.NotNull(signature);
                Assert.InRange(muxers.Count, 0, NoiseHandshakePayloadCodec.MaxStreamMuxers);
                if (i % 50 == 0)
                {
                    NoiseHandshakePayloadCodec.Authenticate(input, staticKey.PublicKey, PeerId.FromPublicKey(identity.PublicKey));
                    verified++;
                }
                return MutationTally.Accepted;
            });
        }
        tally.Finish();
        Assert.True(tally[MutationTally.Accepted] > 0 && tally.Refused > 0, $"{tally}, verified {verified}");
    }

    [Fact]
    public void Handshake_state_survives_mutated_second_messages()
    {
        var initiatorStatic = X25519KeyPair.Generate();
        var initiatorEphemeral = X25519KeyPair.Generate();
        using var responder = new NoiseXXHandshakeState(false, [], X25519KeyPair.Generate());
        byte[] message2;
        using (var first = new NoiseXXHandshakeState(true, [], initiatorStatic, initiatorEphemeral))
        {
            responder.ReadMessage(first.WriteMessage([]));
            message2 = responder.WriteMessage(new byte[40]);
            first.ReadMessage(message2);
        }
        var mutator = new SeededMutator(777);
        var tally = new MutationTally(typeof(NoiseHandshakeException));
        for (var i = 0; i < 5_000; i++)
        {
            var input = mutator.Mutate(message2, [0, 31, 32, 79, 80]);
            using var initiator = new NoiseXXHandshakeState(true, [], initiatorStatic, initiatorEphemeral);
            initiator.WriteMessage([]);
            tally.Record(input, () =>
            {
                initiator.ReadMessage(input);
                return MutationTally.Accepted;
            });
        }
        tally.Finish();
        // Only byte-identical messages can pass; mutations that change nothing (e.g. a no-op byte write) are rare.
        Assert.True(tally.Refused > 4_500, tally.ToString());
    }

    private static int[] FrameHeaderOffsets(byte[] wire)
    {
        var offsets = new List<int>();
        for (var offset = 0; offset < wire.Length; offset += 2 + BinaryPrimitives.ReadUInt16BigEndian(wire.AsSpan(offset)))
        {
            offsets.Add(offset);
            offsets.Add(offset + 1);
        }
        return [.. offsets];
    }
}
