using Dione.Libp2p.Framing;
using Dione.Libp2p.Tests.TestSupport;

namespace Dione.Libp2p.Tests.Framing;

/// <summary>uvarint length-prefixed framing: exact bytes, round trips, limits, truncation.</summary>
public class LengthPrefixedTests
{
    private const int FourMiB = 4 * 1024 * 1024;

    private static CancellationToken Token() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    public static TheoryData<string, string> Vectors => new()
    {
        { "", "00" },
        { "68656c6c6f", "0568656c6c6f" },
        { new string('a', 254), "7f" + new string('a', 254) },
        { new string('b', 256), "8001" + new string('b', 256) },
        { new string('c', 600), "ac02" + new string('c', 600) },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public async Task Writes_prefix_and_payload_in_one_write(string payloadHex, string frameHex)
    {
        var stream = new ScriptedDuplexStream([]);

        await LengthPrefixed.WriteAsync(stream, Convert.FromHexString(payloadHex), Token());

        Assert.Equal(Convert.FromHexString(frameHex), Assert.Single(stream.Writes));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public async Task Reads_the_vector_then_null_at_the_clean_end(string payloadHex, string frameHex)
    {
        var stream = new MemoryStream(Convert.FromHexString(frameHex));

        Assert.Equal(Convert.FromHexString(payloadHex), await LengthPrefixed.ReadAsync(stream, FourMiB, Token()));
        Assert.Null(await LengthPrefixed.ReadAsync(stream, FourMiB, Token()));
    }

    [Fact]
    public async Task Round_trips_many_sizes_back_to_back()
    {
        int[] sizes = [0, 1, 127, 128, 16383, 16384, 100_000, 1 << 20];
        var random = new Random(7);
        var payloads = sizes.Select(size => { var p = new byte[size]; random.NextBytes(p); return p; }).ToArray();
        var stream = new MemoryStream();
        foreach (var payload in payloads)
        {
            await LengthPrefixed.WriteAsync(stream, payload, Token());
        }
        stream.Position = 0;

        foreach (var payload in payloads)
        {
            Assert.Equal(payload, await LengthPrefixed.ReadAsync(stream, FourMiB, Token()));
        }
        Assert.Null(await LengthPrefixed.ReadAsync(stream, FourMiB, Token()));
    }

    [Fact]
    public async Task Round_trips_over_tcp_with_a_concurrent_reader()
    {
        var ct = Token();
        await using var pair = await LoopbackPair.CreateAsync(ct);
        var random = new Random(11);
        var payloads = Enumerable.Range(0, 50).Select(i => { var p = new byte[random.Next(0, 70_000)]; random.NextBytes(p); return p; }).ToArray();

        async Task WriterAsync()
        {
            foreach (var payload in payloads)
            {
                await LengthPrefixed.WriteAsync(pair.Client, payload, ct);
            }
            pair.Client.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        }

        var writer = WriterAsync();
        foreach (var payload in payloads)
        {
            Assert.Equal(payload, await LengthPrefixed.ReadAsync(pair.Server, 1 << 17, ct));
        }
        Assert.Null(await LengthPrefixed.ReadAsync(pair.Server, 1 << 17, ct));
        await writer;
    }

    [Fact]
    public async Task Accepts_exactly_max_size_and_refuses_one_more()
    {
        var stream = new MemoryStream();
        await LengthPrefixed.WriteAsync(stream, new byte[100], Token());
        await LengthPrefixed.WriteAsync(stream, new byte[101], Token());
        stream.Position = 0;

        Assert.Equal(100, (await LengthPrefixed.ReadAsync(stream, 100, Token()))!.Length);
        await Assert.ThrowsAsync<InvalidDataException>(() => LengthPrefixed.ReadAsync(stream, 100, Token()));
    }

    [Fact]
    public async Task Refuses_a_2_pow_40_announcement_without_allocating_it()
    {
        // 2^40 = 0x80 0x80 0x80 0x80 0x80 0x20, and nothing after it.
        var stream = new MemoryStream([0x80, 0x80, 0x80, 0x80, 0x80, 0x20]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = await Record.ExceptionAsync(() => LengthPrefixed.ReadAsync(stream, FourMiB, Token()));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.IsType<InvalidDataException>(error);
        Assert.Contains("1099511627776", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public async Task A_stalled_message_within_the_limit_holds_only_the_initial_buffer()
    {
        // 4 MiB announced (allowed), then 10 bytes and the end: the reader must not have reserved 4 MiB.
        var stream = new ReadSizeRecordingStream([.. Dione.Libp2p.Multiformats.Varint.Encode(FourMiB), .. new byte[10]]);

        await Assert.ThrowsAsync<EndOfStreamException>(() => LengthPrefixed.ReadAsync(stream, FourMiB, Token()));

        Assert.True(stream.LargestRead <= LengthPrefixed.InitialPayloadBuffer, $"asked for {stream.LargestRead} bytes at once");
    }

    [Theory]
    [InlineData(64 * 1024)]
    [InlineData(64 * 1024 + 1)]
    [InlineData(300_000)]
    [InlineData(FourMiB)]
    public async Task Payloads_larger_than_the_initial_buffer_arrive_whole(int length)
    {
        var payload = new byte[length];
        new Random(length).NextBytes(payload);
        using var stream = new MemoryStream();
        await LengthPrefixed.WriteAsync(stream, payload, Token());
        stream.Position = 0;

        Assert.Equal(payload, await LengthPrefixed.ReadAsync(stream, FourMiB, Token()));
    }

    /// <summary>Serves fixed bytes and remembers the largest buffer a read asked to fill.</summary>
    private sealed class ReadSizeRecordingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public int LargestRead { get; private set; }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            LargestRead = Math.Max(LargestRead, buffer.Length);
            return base.ReadAsync(buffer, cancellationToken);
        }
    }

    [Fact]
    public async Task Refuses_a_length_just_above_max_size_before_reading_the_payload()
    {
        // 4 MiB + 1 announced, with no payload: a reader that allocated first would report end of stream instead.
        var stream = new MemoryStream([0x81, 0x80, 0x80, 0x02]);

        await Assert.ThrowsAsync<InvalidDataException>(() => LengthPrefixed.ReadAsync(stream, FourMiB, Token()));
    }

    [Fact]
    public async Task Every_truncation_of_a_frame_is_end_of_stream()
    {
        var frame = new MemoryStream();
        await LengthPrefixed.WriteAsync(frame, new byte[300], Token());
        var bytes = frame.ToArray();

        Assert.Null(await LengthPrefixed.ReadAsync(new MemoryStream([]), 1000, Token()));
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var error = await Record.ExceptionAsync(() => LengthPrefixed.ReadAsync(new MemoryStream(bytes[..cut]), 1000, Token()));
            Assert.True(error is EndOfStreamException, $"cut at {cut}: {error}");
        }
    }

    [Theory]
    [InlineData("8000")]
    [InlineData("ffffffffffffffffff01")]
    public async Task Refuses_a_malformed_prefix(string hex)
    {
        var stream = new MemoryStream(Convert.FromHexString(hex));

        await Assert.ThrowsAsync<InvalidDataException>(() => LengthPrefixed.ReadAsync(stream, FourMiB, Token()));
    }

    [Fact]
    public async Task Refuses_a_negative_limit()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => LengthPrefixed.ReadAsync(new MemoryStream([0x00]), -1, Token()));
    }

    [Fact]
    public async Task Honours_cancellation_while_waiting_for_a_frame()
    {
        await using var pair = await LoopbackPair.CreateAsync(Token());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => LengthPrefixed.ReadAsync(pair.Server, 100, cancel.Token));
    }
}
