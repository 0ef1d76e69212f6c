using System.Buffers.Binary;
using Dione.Libp2p.Noise;
using Dione.Libp2p.Tests.TestSupport;

namespace Dione.Libp2p.Tests.Noise;

public class NoiseStreamFramingTests
{
    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(65519, new[] { 65519 })]
    [InlineData(65520, new[] { 65519, 1 })]
    [InlineData(65536, new[] { 65519, 17 })]
    [InlineData(3 * 65519, new[] { 65519, 65519, 65519 })]
    public async Task Writes_are_split_into_frames_of_at_most_65519_plaintext_bytes(int size, int[] expectedFrames)
    {
        var transport = new ScriptedDuplexStream();
        await using var stream = NoiseStreamPair.Sender(transport);
        await stream.WriteAsync(new byte[size]);
        var write = Assert.Single(transport.Writes);
        Assert.Equal(expectedFrames, FramePlaintextLengths(write));
    }

    [Fact]
    public void Large_writes_are_batched_into_few_transport_writes()
    {
        var transport = new ScriptedDuplexStream();
        using var stream = NoiseStreamPair.Sender(transport);
        var size = (1 << 20) + 3;
        stream.Write(new byte[size]);
        Assert.InRange(transport.Writes.Count, 2, 4);
        var frames = transport.Writes.SelectMany(FramePlaintextLengths).ToArray();
        Assert.Equal(size, frames.Sum());
        Assert.All(frames, length => Assert.InRange(length, 1, NoiseLimits.MaxPlaintextLength));
        Assert.All(frames[..^1], length => Assert.Equal(NoiseLimits.MaxPlaintextLength, length));
    }

    [Fact]
    public void Empty_write_sends_nothing()
    {
        var transport = new ScriptedDuplexStream();
        using var stream = NoiseStreamPair.Sender(transport);
        stream.Write([]);
        Assert.Empty(transport.Writes);
    }

    [Fact]
    public void Frames_decrypt_with_the_expected_nonce_sequence()
    {
        var wire = NoiseStreamPair.Encrypt("a"u8.ToArray(), "bc"u8.ToArray());
        using var cipher = new NoiseCipherState(NoiseStreamPair.KeyA);
        Assert.Equal(17, BinaryPrimitives.ReadUInt16BigEndian(wire));
        var first = new byte[1];
        cipher.Decrypt([], wire.AsSpan(2, 17), first);
        Assert.Equal(18, BinaryPrimitives.ReadUInt16BigEndian(wire.AsSpan(19)));
        var second = new byte[2];
        cipher.Decrypt([], wire.AsSpan(21, 18), second);
        Assert.Equal("abc"u8.ToArray(), first.Concat(second).ToArray());
        Assert.Equal(39, wire.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(int.MaxValue)]
    public void Reads_reassemble_frames_from_any_transport_chunking(int maxRead)
    {
        var random = new Random(maxRead);
        var writes = new[] { 0, 1, 100, 65519, 65520, 3 }.Select(size => RandomBytes(random, size)).ToArray();
        var expected = writes.SelectMany(w => w).ToArray();
        var transport = new ScriptedDuplexStream(NoiseStreamPair.Encrypt(writes), maxRead);
        using var stream = NoiseStreamPair.Receiver(transport);
        var received = new MemoryStream();
        var buffer = new byte[maxRead == 1 ? 5000 : 777];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            received.Write(buffer, 0, read);
        }
        Assert.Equal(expected, received.ToArray());
    }

    [Fact]
    public async Task Small_destination_buffers_receive_a_frame_across_several_reads()
    {
        var payload = RandomBytes(new Random(3), 1000);
        var transport = new ScriptedDuplexStream(NoiseStreamPair.Encrypt(payload));
        await using var stream = NoiseStreamPair.Receiver(transport);
        var received = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            received.Add(one[0]);
        }
        Assert.Equal(payload, received.ToArray());
    }

    [Fact]
    public void Empty_frames_are_skipped_not_taken_for_end_of_stream()
    {
        // Another implementation may send a frame with no plaintext (just the tag).
        var wire = new MemoryStream();
        using (var cipher = new NoiseCipherState(NoiseStreamPair.KeyA))
        {
            foreach (var plaintext in new[] { Array.Empty<byte>(), "x"u8.ToArray() })
            {
                var message = new byte[plaintext.Length + 16];
                cipher.Encrypt([], plaintext, message);
                wire.Write([0, (byte)message.Length]);
                wire.Write(message);
            }
        }
        using var stream = NoiseStreamPair.Receiver(new ScriptedDuplexStream(wire.ToArray()));
        var buffer = new byte[10];
        Assert.Equal(1, stream.Read(buffer));
        Assert.Equal((byte)'x', buffer[0]);
        Assert.Equal(0, stream.Read(buffer));
    }

    [Fact]
    public void Frame_shorter_than_the_tag_raises_IOException()
    {
        using var stream = NoiseStreamPair.Receiver(new ScriptedDuplexStream([0, 15, .. new byte[15]]));
        Assert.Throws<IOException>(() => stream.Read(new byte[10]));
        Assert.Throws<IOException>(() => stream.Read(new byte[10]));
    }

    [Fact]
    public void Writer_refuses_to_reuse_the_last_nonce()
    {
        var transport = new ScriptedDuplexStream();
        using var stream = new NoiseStream(
            transport,
            new NoiseCipherState(NoiseStreamPair.KeyA) { Nonce = ulong.MaxValue - 1 },
            new NoiseCipherState(NoiseStreamPair.KeyB));
        stream.Write([1]);
        Assert.Throws<IOException>(() => stream.Write([2]));
        Assert.Throws<IOException>(() => stream.Write([3]));
        Assert.Single(transport.Writes);
    }

    [Fact]
    public void Dispose_disposes_the_transport_and_blocks_further_use()
    {
        var transport = new ScriptedDuplexStream();
        var stream = NoiseStreamPair.Sender(transport);
        stream.Dispose();
        Assert.True(transport.Disposed);
        Assert.Throws<ObjectDisposedException>(() => stream.Write([1]));
        Assert.Throws<ObjectDisposedException>(() => stream.Read(new byte[1]));
        stream.Dispose();
    }

    [Fact]
    public async Task Concurrent_reads_are_refused()
    {
        var transport = new BlockingReadStream();
        await using var stream = NoiseStreamPair.Receiver(transport);
        var first = stream.ReadAsync(new byte[10]).AsTask();
        await transport.ReadStarted.Task.WaitAsync(NoiseTestPeers.Deadline);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => _ = await stream.ReadAsync(new byte[10]));
        transport.Release.SetResult();
        Assert.Equal(0, await first.WaitAsync(NoiseTestPeers.Deadline));
    }

    internal static int[] FramePlaintextLengths(byte[] wire)
    {
        var lengths = new List<int>();
        var offset = 0;
        while (offset < wire.Length)
        {
            var messageLength = BinaryPrimitives.ReadUInt16BigEndian(wire.AsSpan(offset));
            lengths.Add(messageLength - 16);
            offset += 2 + messageLength;
        }
        Assert.Equal(wire.Length, offset);
        return [.. lengths];
    }

    private static byte[] RandomBytes(Random random, int size)
    {
        var bytes = new byte[size];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A transport whose first read waits until released, then reports end of stream.</summary>
    private sealed class BlockingReadStream : Stream
    {
        public TaskCompletionSource ReadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ReadStarted.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            return 0;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
