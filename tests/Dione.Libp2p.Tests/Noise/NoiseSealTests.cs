using System.Buffers.Binary;
using Dione.Libp2p.Noise;
using Dione.Libp2p.Security;

namespace Dione.Libp2p.Tests.Noise;

public class NoiseSealTests
{
    private const int MaxPlaintext = 65519;

    public static TheoryData<int> PayloadLengths =>
    [
        0, 1, 17, 8192, 8193, 40000, MaxPlaintext - 12, MaxPlaintext, MaxPlaintext + 1, 65536,
        (2 * MaxPlaintext) + 8192, (2 * MaxPlaintext) + 8193, 262144,
    ];

    [Theory]
    [MemberData(nameof(PayloadLengths))]
    public void Sealed_frames_have_the_announced_length_stay_within_65535_and_decrypt_to_header_then_payload(int payloadLength)
    {
        var header = Enumerable.Range(200, 12).Select(i => (byte)i).ToArray();
        var payload = Enumerable.Range(0, payloadLength).Select(i => (byte)(i * 7)).ToArray();
        var wire = new MemoryStream();
        using var sender = NoiseStreamPair.Sender(wire);
        var output = new byte[NoiseFrameWriter.SealedLength(header.Length, payloadLength) + 5];

        var written = ((ISealingStream)sender).Seal(header, payload, output);
        sender.Write([1, 2, 3]);

        Assert.Equal(NoiseFrameWriter.SealedLength(header.Length, payloadLength), written);
        var frames = 0;
        for (var position = 0; position < written; frames++)
        {
            var messageLength = BinaryPrimitives.ReadUInt16BigEndian(output.AsSpan(position));
            Assert.InRange(messageLength, 16, 65535);
            position += 2 + messageLength;
            Assert.True(position <= written);
        }
        var remainder = payloadLength % MaxPlaintext;
        var expectedFrames = 1 + (payloadLength / MaxPlaintext) + (remainder > NoiseFrameWriter.SealCopyLimit ? 1 : 0);
        Assert.Equal(expectedFrames, frames);

        // The sealed frames and a later ordinary write share one nonce sequence.
        var all = new MemoryStream();
        all.Write(output, 0, written);
        all.Write(wire.ToArray());
        all.Position = 0;
        using var receiver = NoiseStreamPair.Receiver(all);
        var plaintext = new byte[12 + payloadLength + 3];
        receiver.ReadExactly(plaintext);
        Assert.Equal(header, plaintext[..12]);
        Assert.Equal(payload, plaintext[12..^3]);
        Assert.Equal(new byte[] { 1, 2, 3 }, plaintext[^3..]);
        Assert.Equal(0, receiver.Read(new byte[1]));
    }

    [Fact]
    public void Seal_refuses_a_short_output_and_a_missing_or_oversized_header()
    {
        using var sender = NoiseStreamPair.Sender(new MemoryStream());
        var header = new byte[12];
        Assert.Throws<ArgumentException>(() => ((ISealingStream)sender).Seal(header, new byte[100], new byte[NoiseFrameWriter.SealedLength(12, 100) - 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ((ISealingStream)sender).Seal([], new byte[100], new byte[1000]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ((ISealingStream)sender).Seal(new byte[NoiseFrameWriter.MaxSealHeaderLength + 1], [], new byte[1000]));
    }

    [Fact]
    public void Seal_after_the_stream_is_disposed_fails_cleanly()
    {
        var sender = NoiseStreamPair.Sender(new MemoryStream());
        sender.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ((ISealingStream)sender).Seal(new byte[12], new byte[10], new byte[100]));
    }
}
