using Dione.Libp2p.Yamux;

namespace Dione.Libp2p.Tests.Yamux;

public class YamuxSessionTests
{
    [Fact]
    public async Task Client_opens_server_accepts_and_echo_works()
    {
        var ct = Timeouts.Token();
        await using var pair = await YamuxPair.CreateAsync();
        var (client, server) = await pair.OpenAcceptedAsync(ct);
        Assert.Equal(1u, client.Id);
        Assert.Equal(1u, server.Id);

        await client.WriteAsync("hello"u8.ToArray(), ct);
        var buffer = new byte[5];
        await server.ReadExactlyAsync(buffer, ct);
        Assert.Equal("hello"u8.ToArray(), buffer);

        await server.WriteAsync("world"u8.ToArray(), ct);
        await client.ReadExactlyAsync(buffer, ct);
        Assert.Equal("world"u8.ToArray(), buffer);
    }

    [Fact]
    public async Task Both_sides_open_streams_with_their_own_id_parity()
    {
        var ct = Timeouts.Token();
        await using var pair = await YamuxPair.CreateAsync();
        var fromClient = new[] { await pair.Client.OpenStreamAsync(ct), await pair.Client.OpenStreamAsync(ct) };
        var fromServer = new[] { await pair.Server.OpenStreamAsync(ct), await pair.Server.OpenStreamAsync(ct) };
        Assert.Equal([1u, 3u], fromClient.Select(s => s.Id));
        Assert.Equal([2u, 4u], fromServer.Select(s => s.Id));

        var acceptedByServer = new[] { await pair.Server.AcceptStreamAsync(ct), await pair.Server.AcceptStreamAsync(ct) };
        var acceptedByClient = new[] { await pair.Client.AcceptStreamAsync(ct), await pair.Client.AcceptStreamAsync(ct) };
        Assert.Equal([1u, 3u], acceptedByServer.Select(s => s.Id));
        Assert.Equal([2u, 4u], acceptedByClient.Select(s => s.Id));

        // Data flows both ways on a listener-opened stream too.
        await fromServer[1].WriteAsync("ping"u8.ToArray(), ct);
        var buffer = new byte[4];
        await acceptedByClient[1].ReadExactlyAsync(buffer, ct);
        Assert.Equal("ping"u8.ToArray(), buffer);
        await acceptedByClient[1].WriteAsync("pong"u8.ToArray(), ct);
        await fromServer[1].ReadExactlyAsync(buffer, ct);
        Assert.Equal("pong"u8.ToArray(), buffer);
        Assert.Equal(4, pair.Client.OpenStreamCount);
        Assert.Equal(4, pair.Server.OpenStreamCount);
    }

    [Fact]
    public async Task Half_close_from_the_opener_lets_the_other_side_finish()
    {
        var ct = Timeouts.Token();
        await using var pair = await YamuxPair.CreateAsync();
        var (client, server) = await pair.OpenAcceptedAsync(ct);

        await client.WriteAsync("request"u8.ToArray(), ct);
        await client.CloseWriteAsync(ct);
        await client.CloseWriteAsync(ct); // idempotent
        Assert.Equal("request"u8.ToArray(), await YamuxTestUtil.ReadToEndAsync(server, ct));
        Assert.Equal(0, await server.ReadAsync(new byte[1], ct)); // stays at end of stream

        await server.WriteAsync("response"u8.ToArray(), ct);
        await server.CloseWriteAsync(ct);
        Assert.Equal("response"u8.ToArray(), await YamuxTestUtil.ReadToEndAsync(client, ct));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await client.WriteAsync(new byte[1], ct));

        // Both directions closed: the streams are forgotten by both sessions.
        await WaitUntilAsync(() => pair.Client.OpenStreamCount == 0 && pair.Server.OpenStreamCount == 0, ct);
    }

    [Fact]
    public async Task Half_close_from_the_acceptor_keeps_the_opener_writing()
    {
        var ct = Timeouts.Token();
        await using var pair = await YamuxPair.CreateAsync();
        var (client, server) = await pair.OpenAcceptedAsync(ct);

        await server.WriteAsync("early"u8.ToArray(), ct);
        await server.CloseWriteAsync(ct);
        Assert.Equal("early"u8.ToArray(), await YamuxTestUtil.ReadToEndAsync(client, ct));

        var payload = YamuxTestUtil.RandomBytes(600_000, 11); // more than the initial window
        var writing = client.WriteAsync(payload, ct).AsTask();
        var received = new byte[payload.Length];
        await server.ReadExactlyAsync(received, ct);
        await writing;
        Assert.Equal(payload, received);
    }

    [Fact]
    public async Task Dispose_sends_fin_and_the_remote_reads_end_of_stream()
    {
        var ct = Timeouts.Token();
        await using var pair = await YamuxPair.CreateAsync();
        var (client, server) = await pair.OpenAcceptedAsync(ct);
        await client.WriteAsync("bye"u8.ToArray(), ct);
        await client.DisposeAsync();
        Assert.False(client.CanRead);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.ReadAsync(new byte[1], ct).AsTask());
        Assert.Equal("bye"u8.ToArray(), await YamuxTestUtil.ReadToEndAsync(server, ct));
        await server.DisposeAsync();
        await WaitUntilAsync(() => pair.Client.OpenStreamCount == 0 && pair.Server.OpenStreamCount == 0, ct);
    }

    [Fact]
    public async Task Reset_fails_local_and_remote_reads_and_writes()
    {
        var ct = Timeouts.Token();
        await using var pair = await YamuxPair.CreateAsync();
        var (client, server) = await pair.OpenAcceptedAsync(ct);
        await client.WriteAsync("x"u8.ToArray(), ct);
        await server.ReadExactlyAsync(new byte[1], ct);

        var pendingRemoteRead = server.ReadAsync(new byte[10], ct).AsTask();
        var pendingLocalRead = client.ReadAsync(new byte[10], ct).AsTask();
        client.Reset();
        client.Reset(); // idempotent

        var local = await Assert.ThrowsAsync<YamuxStreamResetException>(() => pendingLocalRead);
        Assert.False(local.ResetByRemote);
        await Assert.ThrowsAsync<YamuxStreamResetException>(async () => await client.WriteAsync(new byte[1], ct));

        var remote = await Assert.ThrowsAsync<YamuxStreamResetException>(() => pendingRemoteRead);
        Assert.True(remote.ResetByRemote);
        Assert.Equal(client.Id, remote.StreamId);
        await Assert.ThrowsAsync<YamuxStreamResetException>(async () => await server.WriteAsync(new byte[1], ct));
        await WaitUntilAsync(() => pair.Client.OpenStreamCount == 0 && pair.Server.OpenStreamCount == 0, ct);

        // The session itself is unaffected.
        var (again, acceptedAgain) = await pair.OpenAcceptedAsync(ct);
        await again.WriteAsync("y"u8.ToArray(), ct);
        await acceptedAgain.ReadExactlyAsync(new byte[1], ct);
    }

    [Fact]
    public async Task Reset_discards_buffered_data_and_unblocks_a_waiting_writer()
    {
        var ct = Timeouts.Token();
        await using var pair = await YamuxPair.CreateAsync();
        var (client, server) = await pair.OpenAcceptedAsync(ct);

        // The server never reads: the writer fills the window and blocks; a remote reset releases it with an error.
        var writing = client.WriteAsync(new byte[2 * 1024 * 1024], ct).AsTask();
        await WaitUntilAsync(() => client.SendWindow == 0, ct);
        Assert.False(writing.IsCompleted);
        server.Reset();
        var error = await Assert.ThrowsAsync<YamuxStreamResetException>(() => writing);
        Assert.True(error.ResetByRemote);
        await Assert.ThrowsAsync<YamuxStreamResetException>(() => server.ReadAsync(new byte[1], ct).AsTask());
    }

    [Fact]
    public async Task Hundred_concurrent_streams_echo_their_data()
    {
        var ct = Timeouts.Token();
        await using var pair = await YamuxPair.CreateAsync();
        var echoServer = Task.Run(async () =>
        {
            var echoes = new List<Task>();
            for (var i = 0; i < 100; i++)
            {
                var stream = await pair.Server.AcceptStreamAsync(ct);
                echoes.Add(Task.Run(async () =>
                {
                    await using (stream)
                    {
                        var buffer = new byte[8192];
                        int read;
                        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
                        {
                            await stream.WriteAsync(buffer.AsMemory(0, read), ct);
                        }
                    }
                }, ct));
            }
            await Task.WhenAll(echoes);
        }, ct);

        var clients = Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
        {
            var payload = YamuxTestUtil.RandomBytes(20_000 + (i * 3_000), i);
            await using var stream = await pair.Client.OpenStreamAsync(ct);
            var reading = YamuxTestUtil.ReadToEndAsync(stream, ct);
            await stream.WriteAsync(payload, ct);
            await stream.CloseWriteAsync(ct);
            Assert.Equal(payload, await reading);
        }, ct)).ToArray();

        await Task.WhenAll(clients);
        await echoServer;
        await WaitUntilAsync(() => pair.Client.OpenStreamCount == 0 && pair.Server.OpenStreamCount == 0, ct);
    }

    [Fact]
    public async Task Ping_measures_a_round_trip()
    {
        var ct = Timeouts.Token();
        await using var pair = await YamuxPair.CreateAsync();
        var rtts = await Task.WhenAll(pair.Client.PingAsync(ct), pair.Client.PingAsync(ct), pair.Server.PingAsync(ct));
        Assert.All(rtts, rtt => Assert.True(rtt > TimeSpan.Zero));
        Assert.True(pair.Client.RoundTripTimestampTicks > 0);
    }

    [Fact]
    public async Task GoAway_stops_new_streams_but_existing_ones_finish_then_both_sessions_end()
    {
        var ct = Timeouts.Token();
        await using var pair = await YamuxPair.CreateAsync();
        var (client, server) = await pair.OpenAcceptedAsync(ct);

        await pair.Client.GoAwayAsync(ct);
        await Assert.ThrowsAsync<YamuxSessionClosedException>(() => pair.Client.OpenStreamAsync(ct));
        await Assert.ThrowsAsync<YamuxSessionClosedException>(async () => await pair.Client.AcceptStreamAsync(ct));
        // The server learns of the GoAway: accepting ends, opening fails.
        await Assert.ThrowsAsync<YamuxSessionClosedException>(async () => await pair.Server.AcceptStreamAsync(ct));
        await Assert.ThrowsAsync<YamuxSessionClosedException>(() => pair.Server.OpenStreamAsync(ct));

        // The existing stream still works in both directions.
        await client.WriteAsync("still"u8.ToArray(), ct);
        var buffer = new byte[5];
        await server.ReadExactlyAsync(buffer, ct);
        await server.WriteAsync(buffer, ct);
        await client.ReadExactlyAsync(buffer, ct);
        Assert.Equal("still"u8.ToArray(), buffer);
        Assert.False(pair.Client.IsClosed);

        // Once it is closed from both ends, the session closes.
        await client.DisposeAsync();
        await server.DisposeAsync();
        await pair.Client.Completion.WaitAsync(ct);
        await pair.Server.Completion.WaitAsync(ct);
        Assert.True(pair.Client.IsClosed);
        Assert.True(pair.Server.IsClosed);
    }

    [Fact]
    public async Task Disposing_a_session_closes_the_remote_and_fails_its_streams()
    {
        var ct = Timeouts.Token();
        await using var pair = await YamuxPair.CreateAsync();
        var (client, server) = await pair.OpenAcceptedAsync(ct);
        var pendingRead = server.ReadAsync(new byte[1], ct).AsTask();
        var pendingAccept = pair.Server.AcceptStreamAsync(ct).AsTask();

        await pair.Client.DisposeAsync();
        Assert.True(pair.Client.Completion.IsCompletedSuccessfully);
        await pair.Server.Completion.WaitAsync(ct);

        await Assert.ThrowsAnyAsync<IOException>(() => pendingRead);
        await Assert.ThrowsAsync<YamuxSessionClosedException>(() => pendingAccept);
        await Assert.ThrowsAsync<YamuxSessionClosedException>(async () => await client.WriteAsync(new byte[1], ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pair.Client.OpenStreamAsync(ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await pair.Client.AcceptStreamAsync(ct));
        await Assert.ThrowsAsync<YamuxSessionClosedException>(() => pair.Server.OpenStreamAsync(ct));
        Assert.Equal(0, pair.Server.OpenStreamCount);
    }

    [Fact]
    public async Task Stream_open_waits_for_acks_when_the_backlog_is_full()
    {
        var ct = Timeouts.Token();
        // The client allows only 2 unacknowledged streams; the server acknowledges a stream when it is accepted.
        await using var pair = await YamuxPair.CreateAsync(clientSettings: YamuxTestUtil.Settings(acceptBacklog: 2));
        await pair.Client.OpenStreamAsync(ct);
        await pair.Client.OpenStreamAsync(ct);
        var third = pair.Client.OpenStreamAsync(ct);
        Assert.False(third.IsCompleted);
        await pair.Server.AcceptStreamAsync(ct);
        Assert.Equal(5u, (await third.WaitAsync(ct)).Id);
    }

    [Fact]
    public async Task Settings_are_validated()
    {
        await using var loopback = await Dione.Libp2p.Tests.TestSupport.LoopbackPair.CreateAsync();
        Assert.Throws<ArgumentOutOfRangeException>(() => new YamuxSession(loopback.Client, true, new YamuxSettings { InitialStreamWindow = 1000 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new YamuxSession(loopback.Client, true, new YamuxSettings { MaxStreamWindow = 300 * 1024, InitialStreamWindow = 400 * 1024 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new YamuxSession(loopback.Client, true, new YamuxSettings { MaxInboundStreams = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new YamuxSession(loopback.Client, true, new YamuxSettings { KeepAliveInterval = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new YamuxSession(loopback.Client, true, new YamuxSettings { MaxFrameSize = 100 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new YamuxSession(loopback.Client, true, new YamuxSettings { PingTimeout = TimeSpan.FromDays(100) }));
    }

    /// <summary>Waits for state that another task or the remote changes; polls with yields, bounded by the token.</summary>
    internal static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        while (!condition())
        {
            ct.ThrowIfCancellationRequested();
            await Task.Yield();
        }
    }
}
