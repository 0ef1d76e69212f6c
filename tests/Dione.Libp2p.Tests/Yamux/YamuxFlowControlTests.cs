using System.Security.Cryptography;
using Dione.Libp2p.Yamux;

namespace Dione.Libp2p.Tests.Yamux;

public class YamuxFlowControlTests
{
    [Fact]
    public async Task Transfers_64_MiB_intact()
    {
        var ct = Timeouts.Token();
        await using var pair = await YamuxPair.CreateAsync();
        var (client, server) = await pair.OpenAcceptedAsync(ct);
        const int total = 64 * 1024 * 1024;

        var sending = Task.Run(async () =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var random = new Random(64);
            var chunk = new byte[100_003]; // odd size: frames and reads never line up
            for (var sent = 0; sent < total; sent += chunk.Length)
            {
                var n = Math.Min(chunk.Length, total - sent);
                random.NextBytes(chunk);
                hash.AppendData(chunk, 0, n);
                await client.WriteAsync(chunk.AsMemory(0, n), ct);
            }
            await client.CloseWriteAsync(ct);
            return hash.GetHashAndReset();
        }, ct);

        using var received = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[70_001];
        long count = 0;
        int read;
        while ((read = await server.ReadAsync(buffer, ct)) > 0)
        {
            received.AppendData(buffer, 0, read);
            count += read;
        }
        Assert.Equal(total, count);
        Assert.Equal(await sending, received.GetHashAndReset());
    }

    [Fact]
    public async Task Receive_window_grows_past_the_initial_window_when_the_reader_is_fast()
    {
        var ct = Timeouts.Token();
        await using var pair = await YamuxPair.CreateAsync();
        var (client, server) = await pair.OpenAcceptedAsync(ct);
        await pair.Server.PingAsync(ct); // auto-tuning needs an RTT estimate

        var payload = new byte[256 * 1024];
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < 128; i++)
            {
                await client.WriteAsync(payload, ct);
            }
            await client.CloseWriteAsync(ct);
        }, ct);
        var buffer = new byte[1024 * 1024];
        while (await server.ReadAsync(buffer, ct) > 0)
        {
        }
        await sending;

        Assert.True(server.ReceiveWindowTarget > YamuxProtocol.InitialStreamWindow, $"window stayed at {server.ReceiveWindowTarget}");
        Assert.True(server.ReceiveWindowTarget <= 16 * 1024 * 1024);
    }

    [Fact]
    public async Task Receive_window_never_exceeds_the_configured_maximum()
    {
        var ct = Timeouts.Token();
        const int max = 512 * 1024;
        await using var pair = await YamuxPair.CreateAsync(serverSettings: YamuxTestUtil.Settings(maxStreamWindow: max));
        var (client, server) = await pair.OpenAcceptedAsync(ct);
        await pair.Server.PingAsync(ct);
        var sending = Task.Run(async () =>
        {
            await client.WriteAsync(new byte[16 * 1024 * 1024], ct);
            await client.CloseWriteAsync(ct);
        }, ct);
        var buffer = new byte[1024 * 1024];
        while (await server.ReadAsync(buffer, ct) > 0)
        {
            Assert.True(server.BufferedBytes <= max);
        }
        await sending;
        Assert.True(server.ReceiveWindowTarget <= max);
    }

    [Fact]
    public async Task Window_updates_count_the_unreceived_rest_of_a_frame()
    {
        var ct = Timeouts.Token();
        await using var peer = await RawYamuxPeer.CreateAsync(); // the raw peer never answers pings: no auto-tuning
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0, null, ct);
        var stream = await peer.Session.AcceptStreamAsync(ct);
        const int half = YamuxProtocol.InitialStreamWindow / 2;
        var payload = YamuxTestUtil.RandomBytes(YamuxProtocol.InitialStreamWindow, 8);

        // One frame as large as the whole window, of which only the first half arrives for now.
        var frameStart = new byte[YamuxHeader.Size + half];
        new YamuxHeader(YamuxFrameType.Data, YamuxFlags.None, 1, (uint)payload.Length).WriteTo(frameStart);
        payload.AsSpan(0, half).CopyTo(frameStart.AsSpan(YamuxHeader.Size));
        await peer.Raw.WriteAsync(frameStart, ct);
        var received = new byte[payload.Length];
        await stream.ReadExactlyAsync(received.AsMemory(0, half), ct);

        // Half the window was consumed, but the other half is still owed by the frame: only 128 KiB may be granted.
        var update = await peer.ReadUntilAsync(h => h.StreamId == 1 && h.Type == YamuxFrameType.WindowUpdate && h.Flags == YamuxFlags.None, ct);
        Assert.Equal((uint)half, update?.Length);

        await peer.Raw.WriteAsync(payload.AsMemory(half), ct);
        await stream.ReadExactlyAsync(received.AsMemory(half), ct);
        Assert.Equal(payload, received);
    }

    [Fact]
    public async Task A_writer_blocks_while_the_reader_does_not_read_and_buffering_stays_within_the_window()
    {
        var ct = Timeouts.Token();
        await using var pair = await YamuxPair.CreateAsync();
        var (client, server) = await pair.OpenAcceptedAsync(ct);
        var payload = YamuxTestUtil.RandomBytes(4 * 1024 * 1024, 5);

        var writing = client.WriteAsync(payload, ct).AsTask();
        // The writer spends exactly the initial window, then waits for a window update that never comes.
        await YamuxSessionTests.WaitUntilAsync(() => client.SendWindow == 0, ct);
        await YamuxSessionTests.WaitUntilAsync(() => server.BufferedBytes == YamuxProtocol.InitialStreamWindow, ct);
        Assert.False(writing.IsCompleted);
        Assert.Equal(YamuxProtocol.InitialStreamWindow, server.BufferedBytes);

        // Reading releases the writer and everything arrives intact.
        var received = new byte[payload.Length];
        await server.ReadExactlyAsync(received, ct);
        await writing.WaitAsync(ct);
        Assert.Equal(payload, received);
    }

    [Fact]
    public async Task A_blocked_write_can_be_cancelled_and_the_stream_stays_usable()
    {
        var ct = Timeouts.Token();
        await using var pair = await YamuxPair.CreateAsync();
        var (client, server) = await pair.OpenAcceptedAsync(ct);
        using var cancel = new CancellationTokenSource();
        var writing = client.WriteAsync(new byte[YamuxProtocol.InitialStreamWindow + 1000], cancel.Token).AsTask();
        await YamuxSessionTests.WaitUntilAsync(() => client.SendWindow == 0, ct);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writing);

        var first = new byte[YamuxProtocol.InitialStreamWindow];
        await server.ReadExactlyAsync(first, ct);
        await client.WriteAsync("more"u8.ToArray(), ct);
        var more = new byte[4];
        await server.ReadExactlyAsync(more, ct);
        Assert.Equal("more"u8.ToArray(), more);
    }

    [Fact]
    public async Task Many_streams_share_the_connection_fairly_enough_to_all_finish()
    {
        var ct = Timeouts.Token();
        await using var pair = await YamuxPair.CreateAsync();
        const int streams = 8;
        const int size = 2 * 1024 * 1024;
        var receivers = Task.Run(async () =>
        {
            var tasks = new List<Task<byte[]>>();
            for (var i = 0; i < streams; i++)
            {
                var stream = await pair.Server.AcceptStreamAsync(ct);
                tasks.Add(YamuxTestUtil.ReadToEndAsync(stream, ct));
            }
            return await Task.WhenAll(tasks);
        }, ct);
        await Task.WhenAll(Enumerable.Range(0, streams).Select(async i =>
        {
            var stream = await pair.Client.OpenStreamAsync(ct);
            await stream.WriteAsync(YamuxTestUtil.RandomBytes(size, i), ct);
            await stream.CloseWriteAsync(ct);
        }));
        var all = await receivers;
        Assert.All(all, data => Assert.Equal(size, data.Length));
    }
}
