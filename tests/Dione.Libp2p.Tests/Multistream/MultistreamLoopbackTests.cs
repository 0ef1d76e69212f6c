using System.Net.Sockets;
using Dione.Libp2p.Multistream;
using Dione.Libp2p.Tests.TestSupport;
using static Dione.Libp2p.Tests.Multistream.Mss;

namespace Dione.Libp2p.Tests.Multistream;

/// <summary>Dialer and listener over a real TCP connection, against each other and against hand-scripted peers.</summary>
public class MultistreamLoopbackTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static CancellationToken Token() => new CancellationTokenSource(Timeout).Token;

    private static async Task<byte[]> ReadBytesAsync(Stream stream, int count, CancellationToken ct)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, ct);
        return buffer;
    }

    [Fact]
    public async Task First_proposal_accepted_then_protocol_data_flows_both_ways()
    {
        var ct = Token();
        await using var pair = await LoopbackPair.CreateAsync(ct);

        var listener = MultistreamSelect.HandleAsync(pair.Server, p => p == "/echo/1.0.0", ct);
        var dialed = await MultistreamSelect.SelectAsync(pair.Client, ["/echo/1.0.0"], ct);
        var handled = await listener;

        Assert.Equal("/echo/1.0.0", dialed);
        Assert.Equal("/echo/1.0.0", handled);
        await pair.Client.WriteAsync("hello"u8.ToArray(), ct);
        Assert.Equal("hello"u8.ToArray(), await ReadBytesAsync(pair.Server, 5, ct));
        await pair.Server.WriteAsync("world"u8.ToArray(), ct);
        Assert.Equal("world"u8.ToArray(), await ReadBytesAsync(pair.Client, 5, ct));
    }

    [Fact]
    public async Task Na_then_second_proposal_accepted()
    {
        var ct = Token();
        await using var pair = await LoopbackPair.CreateAsync(ct);

        var listener = MultistreamSelect.HandleAsync(pair.Server, p => p == "/yamux/1.0.0", ct);
        var dialed = await MultistreamSelect.SelectAsync(pair.Client, ["/mplex/6.7.0", "/yamux/1.0.0"], ct);

        Assert.Equal("/yamux/1.0.0", dialed);
        Assert.Equal("/yamux/1.0.0", await listener);
        await pair.Server.WriteAsync("x"u8.ToArray(), ct);
        Assert.Equal("x"u8.ToArray(), await ReadBytesAsync(pair.Client, 1, ct));
    }

    [Fact]
    public async Task No_proposal_accepted_fails_the_dialer_and_the_listener_sees_the_close()
    {
        var ct = Token();
        await using var pair = await LoopbackPair.CreateAsync(ct);

        var listener = MultistreamSelect.HandleAsync(pair.Server, _ => false, ct);
        await Assert.ThrowsAsync<ProtocolNegotiationException>(
            () => MultistreamSelect.SelectAsync(pair.Client, ["/a/1", "/b/1", "/c/1"], ct));
        pair.Client.Socket.Shutdown(SocketShutdown.Send);

        await Assert.ThrowsAsync<EndOfStreamException>(() => listener);
    }

    [Fact]
    public async Task Lazy_dialer_data_written_before_the_answer_reaches_the_handler_intact()
    {
        var ct = Token();
        await using var pair = await LoopbackPair.CreateAsync(ct);
        var payload = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray();

        // Nothing is listening yet: the handshake and the data are written before any answer exists.
        var lazy = MultistreamSelect.SelectLazy(pair.Client, "/echo/1.0.0");
        await lazy.WriteAsync(payload, ct);

        Assert.Equal("/echo/1.0.0", await MultistreamSelect.HandleAsync(pair.Server, p => p == "/echo/1.0.0", ct));
        Assert.Equal(payload, await ReadBytesAsync(pair.Server, payload.Length, ct));
        await pair.Server.WriteAsync("reply"u8.ToArray(), ct);

        Assert.Equal("reply"u8.ToArray(), await ReadBytesAsync(lazy, 5, ct));
        await lazy.DisposeAsync();
    }

    [Fact]
    public async Task Lazy_dialer_that_only_reads_still_sends_its_handshake()
    {
        var ct = Token();
        await using var pair = await LoopbackPair.CreateAsync(ct);

        var lazy = MultistreamSelect.SelectLazy(pair.Client, "/id/1.0.0");
        var read = ReadBytesAsync(lazy, 2, ct);
        Assert.Equal("/id/1.0.0", await MultistreamSelect.HandleAsync(pair.Server, _ => true, ct));
        await pair.Server.WriteAsync("ok"u8.ToArray(), ct);

        Assert.Equal("ok"u8.ToArray(), await read);
        await lazy.DisposeAsync();
    }

    [Fact]
    public async Task Lazy_dialer_rejected_fails_on_first_read()
    {
        var ct = Token();
        await using var pair = await LoopbackPair.CreateAsync(ct);

        var lazy = MultistreamSelect.SelectLazy(pair.Client, "/missing/1.0.0");
        await lazy.WriteAsync("early data"u8.ToArray(), ct);
        var listener = MultistreamSelect.HandleAsync(pair.Server, _ => false, ct);

        await Assert.ThrowsAsync<ProtocolNegotiationException>(() => ReadBytesAsync(lazy, 1, ct));
        await lazy.DisposeAsync();
        pair.Client.Socket.Shutdown(SocketShutdown.Send); // the pair's streams do not own their sockets
        // The listener read "early data" as a malformed proposal, or saw the close: either way a clean failure.
        var error = await Record.ExceptionAsync(() => listener);
        Assert.True(error is ProtocolNegotiationException or EndOfStreamException or IOException, error?.ToString());
    }

    [Fact]
    public async Task Listener_answers_ls_with_na_and_then_accepts()
    {
        var ct = Token();
        await using var pair = await LoopbackPair.CreateAsync(ct);

        var listener = MultistreamSelect.HandleAsync(pair.Server, p => p == "/a/1.0.0", ct);
        await pair.Client.WriteAsync(Concat(Header, Ls), ct);
        Assert.Equal(Concat(Header, Na), await ReadBytesAsync(pair.Client, Header.Length + Na.Length, ct));
        await pair.Client.WriteAsync(Msg("/a/1.0.0"), ct);

        Assert.Equal(Msg("/a/1.0.0"), await ReadBytesAsync(pair.Client, Msg("/a/1.0.0").Length, ct));
        Assert.Equal("/a/1.0.0", await listener);
    }

    [Fact]
    public async Task Dialer_works_with_a_listener_that_sends_its_header_first()
    {
        // go-multistream style: the listener writes its header before reading anything.
        var ct = Token();
        await using var pair = await LoopbackPair.CreateAsync(ct);
        var expected = Concat(Header, Msg("/x/1"), Msg("/a/1"));

        async Task ListenerAsync()
        {
            await pair.Server.WriteAsync(Header, ct);
            Assert.Equal(Concat(Header, Msg("/x/1")), await ReadBytesAsync(pair.Server, Header.Length + Msg("/x/1").Length, ct));
            await pair.Server.WriteAsync(Na, ct);
            Assert.Equal(Msg("/a/1"), await ReadBytesAsync(pair.Server, Msg("/a/1").Length, ct));
            await pair.Server.WriteAsync(Msg("/a/1"), ct);
        }

        var listener = ListenerAsync();
        Assert.Equal("/a/1", await MultistreamSelect.SelectAsync(pair.Client, ["/x/1", "/a/1"], ct));
        await listener;
    }

    [Fact]
    public async Task Dialer_works_with_a_listener_that_stays_silent_until_it_read_the_header()
    {
        // js-libp2p style: one message read, one message answered, each in its own write.
        var ct = Token();
        await using var pair = await LoopbackPair.CreateAsync(ct);

        async Task ListenerAsync()
        {
            Assert.Equal(Header, await ReadBytesAsync(pair.Server, Header.Length, ct));
            await pair.Server.WriteAsync(Header, ct);
            Assert.Equal(Msg("/a/1"), await ReadBytesAsync(pair.Server, Msg("/a/1").Length, ct));
            await pair.Server.WriteAsync(Msg("/a/1"), ct);
        }

        var listener = ListenerAsync();
        Assert.Equal("/a/1", await MultistreamSelect.SelectAsync(pair.Client, ["/a/1"], ct));
        await listener;
    }

    [Fact]
    public async Task Lazy_dialer_works_with_a_listener_that_sends_its_header_first()
    {
        var ct = Token();
        await using var pair = await LoopbackPair.CreateAsync(ct);
        await pair.Server.WriteAsync(Header, ct);

        var lazy = MultistreamSelect.SelectLazy(pair.Client, "/a/1");
        Assert.Equal(Concat(Header, Msg("/a/1")), await ReadBytesAsync(pair.Server, Header.Length + Msg("/a/1").Length, ct));
        await pair.Server.WriteAsync(Concat(Msg("/a/1"), "data"u8.ToArray()), ct);

        Assert.Equal("data"u8.ToArray(), await ReadBytesAsync(lazy, 4, ct));
        await lazy.DisposeAsync();
    }

    [Fact]
    public async Task Listener_accepts_header_and_proposal_sent_as_separate_writes()
    {
        var ct = Token();
        await using var pair = await LoopbackPair.CreateAsync(ct);

        var listener = MultistreamSelect.HandleAsync(pair.Server, p => p == "/a/1", ct);
        await pair.Client.WriteAsync(Header, ct);
        await pair.Client.WriteAsync(Msg("/a/1"), ct);

        Assert.Equal(Concat(Header, Msg("/a/1")), await ReadBytesAsync(pair.Client, Header.Length + Msg("/a/1").Length, ct));
        Assert.Equal("/a/1", await listener);
    }

    [Fact]
    public async Task Listener_leaves_data_sent_with_the_proposal_for_the_protocol()
    {
        var ct = Token();
        await using var pair = await LoopbackPair.CreateAsync(ct);

        await pair.Client.WriteAsync(Concat(Header, Msg("/a/1"), "payload"u8.ToArray()), ct);

        Assert.Equal("/a/1", await MultistreamSelect.HandleAsync(pair.Server, p => p == "/a/1", ct));
        Assert.Equal("payload"u8.ToArray(), await ReadBytesAsync(pair.Server, 7, ct));
    }

    [Fact]
    public async Task Listener_waiting_for_a_silent_dialer_gives_up_only_through_its_token()
    {
        await using var pair = await LoopbackPair.CreateAsync(Token());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => MultistreamSelect.HandleAsync(pair.Server, _ => true, cancel.Token));
    }

    [Fact]
    public async Task Listener_waiting_for_a_proposal_after_the_header_gives_up_through_its_token()
    {
        await using var pair = await LoopbackPair.CreateAsync(Token());
        await pair.Client.WriteAsync(Header);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => MultistreamSelect.HandleAsync(pair.Server, _ => true, cancel.Token));
    }

    [Fact]
    public async Task Listener_refuses_a_too_long_message_over_tcp()
    {
        var ct = Token();
        await using var pair = await LoopbackPair.CreateAsync(ct);

        var listener = MultistreamSelect.HandleAsync(pair.Server, _ => true, ct);
        await pair.Client.WriteAsync(Concat(Header, Msg("/" + new string('x', 2000))), ct);

        await Assert.ThrowsAsync<ProtocolNegotiationException>(() => listener);
    }

    [Fact]
    public async Task Many_negotiations_on_fresh_connections_agree()
    {
        var ct = Token();
        for (var i = 0; i < 20; i++)
        {
            await using var pair = await LoopbackPair.CreateAsync(ct);
            var wanted = $"/p/{i % 4}";
            var listener = MultistreamSelect.HandleAsync(pair.Server, p => p == wanted, ct);
            var dialed = await MultistreamSelect.SelectAsync(pair.Client, ["/p/0", "/p/1", "/p/2", "/p/3"], ct);
            Assert.Equal(wanted, dialed);
            Assert.Equal(wanted, await listener);
        }
    }
}
