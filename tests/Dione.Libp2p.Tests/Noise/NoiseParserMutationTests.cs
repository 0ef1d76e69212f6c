using System.Buffers.Binary;
using System.Diagnostics;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Noise;

namespace Dione.Libp2p.Tests.Noise;

/// <summary>
/// Seeded mutation loops: damaged frames, payloads and handshake messages must end in the documented exception
/// (IOException, NoiseHandshakeException) or a clean result, never anything else, a hang or a large allocation.
/// </summary>
public class NoiseParserMutationTests
{
    private const int Inputs = 100_000;

    [Fact]
    public async Task Frame_reader_survives_mutated_wire_data()
    {
        var writes = new[] { "a"u8.ToArray(), new byte[20], Enumerable.Range(0, 300).Select(i => (byte)i).ToArray(), "tail!"u8.ToArray() };
        var plaintext = writes.SelectMany(w => w).ToArray();
        var wire = NoiseStreamPair.Encrypt(writes);
        var hotSpots = FrameHeaderOffsets(wire);
        var mutator = new ByteMutator(20240601);
        var clock = Stopwatch.StartNew();
        int clean = 0, refused = 0;
        var output = new byte[plaintext.Length + 70_000];
        for (var i = 0; i < Inputs; i++)
        {
            var input = mutator.Mutate(wire, hotSpots);
            using var cipher = new NoiseCipherState(NoiseStreamPair.KeyA);
            var reader = new NoiseFrameReader(new MemoryStream(input, writable: false), cipher);
            var received = 0;
            try
            {
                while (true)
                {
                    var want = 1 + mutator.Random.Next(400);
                    var destination = output.AsMemory(received, Math.Min(want, output.Length - received));
                    var read = i % 2 == 0 ? reader.Read(destination.Span) : await reader.ReadAsync(destination, CancellationToken.None);
                    if (read == 0)
                    {
                        break;
                    }
                    received += read;
                }
                clean++;
            }
            catch (IOException)
            {
                refused++;
            }
            finally
            {
                reader.Dispose();
            }
            // Authenticated encryption: whatever was delivered must be a prefix of what was sent.
            Assert.True(output.AsSpan(0, received).SequenceEqual(plaintext.AsSpan(0, received)), $"input {i} delivered forged data");
        }
        Assert.True(clean > 0 && refused > Inputs / 2, $"clean {clean}, refused {refused}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Payload_decoder_survives_mutated_payloads()
    {
        var identity = PrivateKey.Generate(KeyType.Ed25519);
        var staticKey = X25519KeyPair.Generate();
        var payload = NoiseHandshakePayloadCodec.Create(identity, staticKey.PublicKey, ["/yamux/1.0.0", "/mplex/6.7.0"]);
        var hotSpots = Enumerable.Range(0, payload.Length).Where(i => i % 7 == 0 || i < 4).ToArray();
        var mutator = new ByteMutator(424242);
        int accepted = 0, refused = 0, verified = 0;
        for (var i = 0; i < Inputs; i++)
        {
            var input = mutator.Mutate(payload, hotSpots);
            try
            {
                var (key, signature, muxers) = NoiseHandshakePayloadCodec.Decode(input);
                Assert.NotNull(key);
                Assert.NotNull(signature);
                Assert.InRange(muxers.Count, 0, NoiseHandshakePayloadCodec.MaxStreamMuxers);
                accepted++;
                if (i % 50 == 0)
                {
                    NoiseHandshakePayloadCodec.Authenticate(input, staticKey.PublicKey, PeerId.FromPublicKey(identity.PublicKey));
                    verified++;
                }
            }
            catch (NoiseHandshakeException)
            {
                refused++;
            }
        }
        Assert.True(accepted > 0 && refused > 0, $"accepted {accepted}, refused {refused}, verified {verified}");
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
        var mutator = new ByteMutator(777);
        int accepted = 0, refused = 0;
        for (var i = 0; i < 5_000; i++)
        {
            var input = mutator.Mutate(message2, [0, 31, 32, 79, 80]);
            using var initiator = new NoiseXXHandshakeState(true, [], initiatorStatic, initiatorEphemeral);
            initiator.WriteMessage([]);
            try
            {
                initiator.ReadMessage(input);
                accepted++;
            }
            catch (NoiseHandshakeException)
            {
                refused++;
            }
        }
        // Only byte-identical messages can pass; mutations that change nothing (e.g. a no-op byte write) are rare.
        Assert.True(refused > 4_500, $"accepted {accepted}, refused {refused}");
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
