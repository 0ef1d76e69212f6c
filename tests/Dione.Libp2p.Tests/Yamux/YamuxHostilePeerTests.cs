using Dione.Libp2p.Yamux;

namespace Dione.Libp2p.Tests.Yamux;

public class YamuxHostilePeerTests
{
    private const uint ProtocolError = 1;

    [Fact]
    public async Task Window_overrun_in_one_frame_gets_GoAway_protocol_error_and_closes()
    {
        var ct = Timeouts.Token();
        await using var peer = await RawYamuxPeer.CreateAsync();
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0, null, ct);
        // Only the header: the session must reject it from the length alone, without waiting for (or buffering) the payload.
        await peer.SendAsync(YamuxFrameType.Data, YamuxFlags.None, 1, YamuxProtocol.InitialStreamWindow + 1, null, ct);

        var frames = await peer.ReadUntilClosedAsync(ct);
        Assert.Contains(frames, h => h.Type == YamuxFrameType.GoAway && h.Length == ProtocolError);
        await peer.Session.Completion.WaitAsync(ct);
        Assert.True(peer.Session.IsClosed);
    }

    [Fact]
    public async Task Window_overrun_across_frames_closes_the_session()
    {
        var ct = Timeouts.Token();
        await using var peer = await RawYamuxPeer.CreateAsync();
        var chunk = new byte[200 * 1024];
        await peer.SendAsync(YamuxFrameType.Data, YamuxFlags.Syn, 1, (uint)chunk.Length, chunk, ct);
        await peer.SendAsync(YamuxFrameType.Data, YamuxFlags.None, 1, (uint)chunk.Length, chunk, ct);

        var frames = await peer.ReadUntilClosedAsync(ct);
        Assert.Contains(frames, h => h.Type == YamuxFrameType.GoAway && h.Length == ProtocolError);
        await peer.Session.Completion.WaitAsync(ct);
    }

    [Fact]
    public async Task A_stream_opened_with_a_window_update_carrying_a_delta_can_receive_more_than_256_KiB()
    {
        var ct = Timeouts.Token();
        await using var peer = await RawYamuxPeer.CreateAsync();
        // js-libp2p style open: WINDOW_UPDATE + SYN with a delta; the session may then send 256 KiB + delta.
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 1024 * 1024, null, ct);
        var stream = await peer.Session.AcceptStreamAsync(ct);
        var payload = YamuxTestUtil.RandomBytes(1024 * 1024 + YamuxProtocol.InitialStreamWindow, 9);
        await stream.WriteAsync(payload, ct).AsTask().WaitAsync(ct); // completes without any further window update

        var ack = await peer.ReadUntilAsync(h => h.StreamId == 1 && (h.Flags & YamuxFlags.Ack) != 0, ct);
        Assert.NotNull(ack);
        long received = 0;
        while (received < payload.Length && await peer.ReadFrameAsync(ct) is { } frame)
        {
            if (frame.Header.Type == YamuxFrameType.Data && frame.Header.StreamId == 1)
            {
                received += frame.Payload.Length;
            }
        }
        Assert.Equal(payload.Length, received);
    }

    [Fact]
    public async Task A_stream_opened_by_a_data_frame_delivers_its_payload()
    {
        var ct = Timeouts.Token();
        await using var peer = await RawYamuxPeer.CreateAsync();
        await peer.SendAsync(YamuxFrameType.Data, YamuxFlags.Syn | YamuxFlags.Fin, 1, 3, "abc"u8.ToArray(), ct);
        var stream = await peer.Session.AcceptStreamAsync(ct);
        Assert.Equal("abc"u8.ToArray(), await YamuxTestUtil.ReadToEndAsync(stream, ct));
    }

    [Fact]
    public async Task A_larger_initial_window_is_announced_with_SYN_and_ACK_and_honoured()
    {
        var ct = Timeouts.Token();
        const int window = 1024 * 1024;
        await using var peer = await RawYamuxPeer.CreateAsync(new YamuxSettings { InitialStreamWindow = window });
        // Inbound: the ACK carries the extra window.
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0, null, ct);
        var accepted = await peer.Session.AcceptStreamAsync(ct);
        var ack = await peer.ReadUntilAsync(h => h.StreamId == 1, ct);
        Assert.Equal(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Ack, 1, window - YamuxProtocol.InitialStreamWindow), ack);
        // Outbound: so does the SYN.
        var opened = await peer.Session.OpenStreamAsync(ct);
        var syn = await peer.ReadUntilAsync(h => h.StreamId == opened.Id, ct);
        Assert.Equal(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 2, window - YamuxProtocol.InitialStreamWindow), syn);

        // The whole announced window may be used at once, in one frame.
        var payload = YamuxTestUtil.RandomBytes(window, 4);
        await peer.SendAsync(YamuxFrameType.Data, YamuxFlags.Fin, 1, window, payload, ct);
        Assert.Equal(payload, await YamuxTestUtil.ReadToEndAsync(accepted, ct));
        Assert.False(peer.Session.IsClosed);
    }

    [Fact]
    public async Task A_send_window_overflowing_32_bits_is_a_protocol_error()
    {
        var ct = Timeouts.Token();
        await using var peer = await RawYamuxPeer.CreateAsync();
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, uint.MaxValue, null, ct);
        var frames = await peer.ReadUntilClosedAsync(ct);
        Assert.Contains(frames, h => h.Type == YamuxFrameType.GoAway && h.Length == ProtocolError);
    }

    [Fact]
    public async Task Inbound_streams_beyond_the_limit_are_reset()
    {
        var ct = Timeouts.Token();
        await using var peer = await RawYamuxPeer.CreateAsync(YamuxTestUtil.Settings(maxInbound: 2));
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0, null, ct);
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 3, 0, null, ct);
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 5, 0, null, ct);

        var reset = await peer.ReadUntilAsync(h => (h.Flags & YamuxFlags.Rst) != 0, ct);
        Assert.Equal(5u, reset?.StreamId);
        Assert.Equal(2, peer.Session.OpenStreamCount);

        // Closing one frees a slot.
        var first = await peer.Session.AcceptStreamAsync(ct);
        first.Reset();
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 7, 0, null, ct);
        Assert.Equal(3u, (await peer.Session.AcceptStreamAsync(ct)).Id);
        Assert.Equal(7u, (await peer.Session.AcceptStreamAsync(ct)).Id);
    }

    [Fact]
    public async Task Inbound_streams_beyond_the_accept_backlog_are_reset()
    {
        var ct = Timeouts.Token();
        await using var peer = await RawYamuxPeer.CreateAsync(YamuxTestUtil.Settings(acceptBacklog: 2));
        for (uint id = 1; id <= 7; id += 2)
        {
            await peer.SendAsync(YamuxFrameType.Data, YamuxFlags.Syn, id, 1, [42], ct);
        }
        var resets = new List<uint>();
        while (resets.Count < 2 && await peer.ReadFrameAsync(ct) is { } frame)
        {
            if ((frame.Header.Flags & YamuxFlags.Rst) != 0)
            {
                resets.Add(frame.Header.StreamId);
            }
        }
        Assert.Equal([5u, 7u], resets);
        Assert.Equal(1u, (await peer.Session.AcceptStreamAsync(ct)).Id);
        Assert.Equal(3u, (await peer.Session.AcceptStreamAsync(ct)).Id);
    }

    [Fact]
    public async Task A_reset_by_a_session_limit_reaches_a_real_client_as_a_stream_reset()
    {
        var ct = Timeouts.Token();
        await using var pair = await YamuxPair.CreateAsync(serverSettings: YamuxTestUtil.Settings(maxInbound: 1));
        var allowed = await pair.Client.OpenStreamAsync(ct);
        var rejected = await pair.Client.OpenStreamAsync(ct);
        await Assert.ThrowsAsync<YamuxStreamResetException>(() => rejected.ReadAsync(new byte[1], ct).AsTask());
        await allowed.WriteAsync("ok"u8.ToArray(), ct);
        var accepted = await pair.Server.AcceptStreamAsync(ct);
        await accepted.ReadExactlyAsync(new byte[2], ct);
    }

    [Fact]
    public async Task A_SYN_with_this_sides_id_parity_is_a_protocol_error()
    {
        var ct = Timeouts.Token();
        await using var peer = await RawYamuxPeer.CreateAsync();
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 2, 0, null, ct); // the listener owns even ids
        var frames = await peer.ReadUntilClosedAsync(ct);
        Assert.Contains(frames, h => h.Type == YamuxFrameType.GoAway && h.Length == ProtocolError);
    }

    [Fact]
    public async Task A_second_SYN_for_an_open_stream_is_a_protocol_error()
    {
        var ct = Timeouts.Token();
        await using var peer = await RawYamuxPeer.CreateAsync();
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0, null, ct);
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0, null, ct);
        var frames = await peer.ReadUntilClosedAsync(ct);
        Assert.Contains(frames, h => h.Type == YamuxFrameType.GoAway && h.Length == ProtocolError);
    }

    [Fact]
    public async Task Stream_frames_on_id_zero_are_a_protocol_error()
    {
        var ct = Timeouts.Token();
        await using var peer = await RawYamuxPeer.CreateAsync();
        await peer.SendAsync(YamuxFrameType.Data, YamuxFlags.None, 0, 1, [1], ct);
        var frames = await peer.ReadUntilClosedAsync(ct);
        Assert.Contains(frames, h => h.Type == YamuxFrameType.GoAway && h.Length == ProtocolError);
    }

    [Fact]
    public async Task Data_for_a_reset_or_unknown_stream_is_dropped_and_the_session_lives_on()
    {
        var ct = Timeouts.Token();
        await using var peer = await RawYamuxPeer.CreateAsync();
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0, null, ct);
        var stream = await peer.Session.AcceptStreamAsync(ct);
        stream.Reset();
        Assert.NotNull(await peer.ReadUntilAsync(h => h.StreamId == 1 && (h.Flags & YamuxFlags.Rst) != 0, ct));

        // A full window's worth for the reset stream and some for a never-opened one: dropped, not counted.
        var chunk = new byte[YamuxProtocol.InitialStreamWindow];
        await peer.SendAsync(YamuxFrameType.Data, YamuxFlags.None, 1, (uint)chunk.Length, chunk, ct);
        await peer.SendAsync(YamuxFrameType.Data, YamuxFlags.None, 1, (uint)chunk.Length, chunk, ct);
        await peer.SendAsync(YamuxFrameType.Data, YamuxFlags.None, 99, 5, new byte[5], ct);
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.None, 77, 1000, null, ct);

        await peer.SendAsync(YamuxFrameType.Ping, YamuxFlags.Syn, 0, 0xABCD, null, ct);
        var pong = await peer.ReadUntilAsync(h => h.Type == YamuxFrameType.Ping && (h.Flags & YamuxFlags.Ack) != 0 && h.Length == 0xABCD, ct);
        Assert.NotNull(pong);
        Assert.False(peer.Session.IsClosed);
    }

    [Fact]
    public async Task Pings_are_answered_with_the_same_opaque_value()
    {
        var ct = Timeouts.Token();
        await using var peer = await RawYamuxPeer.CreateAsync();
        await peer.SendAsync(YamuxFrameType.Ping, YamuxFlags.Syn, 0, 0xDEADBEEF, null, ct);
        var pong = await peer.ReadUntilAsync(h => h.Type == YamuxFrameType.Ping && (h.Flags & YamuxFlags.Ack) != 0, ct);
        Assert.Equal(new YamuxHeader(YamuxFrameType.Ping, YamuxFlags.Ack, 0, 0xDEADBEEF), pong);
    }

    [Fact]
    public async Task The_session_pings_and_accepts_the_answer()
    {
        var ct = Timeouts.Token();
        await using var peer = await RawYamuxPeer.CreateAsync();
        // At most one ping is outstanding (the start-up RTT ping and this call share it), so one answer completes it.
        var ping = peer.Session.PingAsync(ct);
        var request = await peer.ReadUntilAsync(h => h.Type == YamuxFrameType.Ping && (h.Flags & YamuxFlags.Syn) != 0, ct);
        Assert.NotNull(request);
        await peer.SendAsync(YamuxFrameType.Ping, YamuxFlags.Ack, 0, request.Value.Length, null, ct);
        Assert.True(await ping.WaitAsync(ct) > TimeSpan.Zero);
        Assert.True(peer.Session.RoundTripTimestampTicks > 0);
    }

    [Fact]
    public async Task An_unanswered_keep_alive_ping_closes_the_session()
    {
        var ct = Timeouts.Token();
        await using var peer = await RawYamuxPeer.CreateAsync(YamuxTestUtil.Settings(
            keepAlive: TimeSpan.FromMilliseconds(100), pingTimeout: TimeSpan.FromMilliseconds(300)));
        var frames = await peer.ReadUntilClosedAsync(ct); // silent peer: reads, never answers
        Assert.Contains(frames, h => h.Type == YamuxFrameType.Ping && (h.Flags & YamuxFlags.Syn) != 0);
        await peer.Session.Completion.WaitAsync(ct);
        await Assert.ThrowsAsync<YamuxSessionClosedException>(() => peer.Session.OpenStreamAsync(ct));
    }

    [Fact]
    public async Task Answered_keep_alive_pings_keep_the_session_open()
    {
        var ct = Timeouts.Token();
        await using var peer = await RawYamuxPeer.CreateAsync(YamuxTestUtil.Settings(
            keepAlive: TimeSpan.FromMilliseconds(50), pingTimeout: TimeSpan.FromMilliseconds(2000)));
        for (var answered = 0; answered < 5;)
        {
            var frame = await peer.ReadFrameAsync(ct);
            Assert.NotNull(frame);
            if (frame.Value.Header.Type == YamuxFrameType.Ping && (frame.Value.Header.Flags & YamuxFlags.Syn) != 0)
            {
                await peer.SendAsync(YamuxFrameType.Ping, YamuxFlags.Ack, 0, frame.Value.Header.Length, null, ct);
                answered++;
            }
        }
        Assert.False(peer.Session.IsClosed);
    }

    [Fact]
    public async Task A_stalled_transport_closes_the_session_after_the_write_timeout()
    {
        var ct = Timeouts.Token();
        await using var peer = await RawYamuxPeer.CreateAsync(new YamuxSettings { WriteTimeout = TimeSpan.FromMilliseconds(500) });
        // Grant a huge window, then never read the socket: kernel buffers fill and the session's transport write stalls.
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, int.MaxValue, null, ct);
        var stream = await peer.Session.AcceptStreamAsync(ct);
        var chunk = new byte[1024 * 1024];
        var error = await Assert.ThrowsAsync<YamuxSessionClosedException>(async () =>
        {
            while (true)
            {
                await stream.WriteAsync(chunk, ct);
            }
        });
        Assert.IsType<TimeoutException>(error.InnerException);
        await peer.Session.Completion.WaitAsync(ct);
    }

    [Fact]
    public async Task A_GoAway_with_an_error_code_closes_the_session_at_once()
    {
        var ct = Timeouts.Token();
        await using var peer = await RawYamuxPeer.CreateAsync();
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0, null, ct);
        var stream = await peer.Session.AcceptStreamAsync(ct);
        await peer.SendAsync(YamuxFrameType.GoAway, YamuxFlags.None, 0, 2, null, ct);
        await peer.Session.Completion.WaitAsync(ct);
        await Assert.ThrowsAsync<YamuxSessionClosedException>(() => stream.ReadAsync(new byte[1], ct).AsTask());
    }

    [Fact]
    public async Task A_normal_GoAway_rejects_later_SYNs_and_closes_when_streams_are_done()
    {
        var ct = Timeouts.Token();
        await using var peer = await RawYamuxPeer.CreateAsync();
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0, null, ct);
        var stream = await peer.Session.AcceptStreamAsync(ct);
        await peer.SendAsync(YamuxFrameType.GoAway, YamuxFlags.None, 0, 0, null, ct);
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 3, 0, null, ct);
        Assert.NotNull(await peer.ReadUntilAsync(h => h.StreamId == 3 && (h.Flags & YamuxFlags.Rst) != 0, ct));
        Assert.False(peer.Session.IsClosed);

        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Fin, 1, 0, null, ct);
        await stream.DisposeAsync();
        var frames = await peer.ReadUntilClosedAsync(ct);
        Assert.Contains(frames, h => h.StreamId == 1 && (h.Flags & YamuxFlags.Fin) != 0);
        await peer.Session.Completion.WaitAsync(ct);
    }

    [Fact]
    public async Task Random_garbage_closes_the_session_cleanly()
    {
        var ct = Timeouts.Token();
        for (var seed = 0; seed < 5; seed++)
        {
            await using var peer = await RawYamuxPeer.CreateAsync();
            await peer.Raw.WriteAsync(YamuxTestUtil.RandomBytes(4096, seed), ct);
            var frames = await peer.ReadUntilClosedAsync(ct);
            await peer.Session.Completion.WaitAsync(ct);
            Assert.True(peer.Session.IsClosed);
            Assert.Contains(frames, h => h.Type == YamuxFrameType.GoAway && h.Length == ProtocolError);
        }
    }

    [Fact]
    public async Task A_truncated_frame_followed_by_disconnect_closes_the_session()
    {
        var ct = Timeouts.Token();
        await using var peer = await RawYamuxPeer.CreateAsync();
        await peer.SendAsync(YamuxFrameType.Data, YamuxFlags.Syn, 1, 1000, new byte[10], ct);
        var stream = await peer.Session.AcceptStreamAsync(ct);
        peer.Raw.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        await peer.Session.Completion.WaitAsync(ct);
        await Assert.ThrowsAsync<YamuxSessionClosedException>(async () => await stream.ReadExactlyAsync(new byte[20], ct));
    }
}
