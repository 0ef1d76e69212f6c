using System.Text;
using Dione.Libp2p.Multistream;
using Dione.Libp2p.Tests.TestSupport;
using static Dione.Libp2p.Tests.Multistream.Mss;

namespace Dione.Libp2p.Tests.Multistream;

/// <summary>Exact bytes and message-level rules, over an in-memory scripted duplex.</summary>
public class MultistreamWireTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static CancellationToken Token() => new CancellationTokenSource(Timeout).Token;

    private static bool SupportsA(string protocol) => protocol == "/a/1.0.0";

    [Fact]
    public void Header_na_and_ls_have_the_spec_bytes()
    {
        Assert.Equal(
            Convert.FromHexString("132f6d756c746973747265616d2f312e302e300a"),
            MultistreamMessage.Encode(MultistreamSelect.ProtocolId));
        Assert.Equal(Convert.FromHexString("036e610a"), MultistreamMessage.Encode("na"));
        Assert.Equal(Convert.FromHexString("036c730a"), MultistreamMessage.Encode("ls"));
        Assert.Equal(Header, MultistreamMessage.Encode(MultistreamSelect.ProtocolId));
    }

    [Fact]
    public void A_message_of_128_bytes_has_a_two_byte_prefix()
    {
        var encoded = MultistreamMessage.Encode(new string('p', 127));
        Assert.Equal(new byte[] { 0x80, 0x01 }, encoded[..2]);
        Assert.Equal(130, encoded.Length);
        Assert.Equal((byte)'\n', encoded[^1]);
    }

    [Fact]
    public async Task Dialer_sends_header_and_first_proposal_in_one_write()
    {
        var stream = new ScriptedDuplexStream(Concat(Header, Msg("/a/1.0.0")));

        var chosen = await MultistreamSelect.SelectAsync(stream, ["/a/1.0.0", "/b/1.0.0"], Token());

        Assert.Equal("/a/1.0.0", chosen);
        var write = Assert.Single(stream.Writes);
        Assert.Equal(Convert.FromHexString("132f6d756c746973747265616d2f312e302e300a" + "092f612f312e302e300a"), write);
    }

    [Fact]
    public async Task Dialer_tries_the_next_proposal_after_na_with_a_bare_message()
    {
        var stream = new ScriptedDuplexStream(Concat(Header, Na, Msg("/b/1.0.0")));

        var chosen = await MultistreamSelect.SelectAsync(stream, ["/a/1.0.0", "/b/1.0.0"], Token());

        Assert.Equal("/b/1.0.0", chosen);
        Assert.Equal(2, stream.Writes.Count);
        Assert.Equal(Concat(Header, Msg("/a/1.0.0")), stream.Writes[0]);
        Assert.Equal(Msg("/b/1.0.0"), stream.Writes[1]);
    }

    [Fact]
    public async Task Dialer_leaves_protocol_data_after_the_echo_unread()
    {
        var stream = new ScriptedDuplexStream(Concat(Header, Msg("/a/1.0.0"), "DATA"u8.ToArray()));

        await MultistreamSelect.SelectAsync(stream, ["/a/1.0.0"], Token());

        Assert.Equal("DATA"u8.ToArray(), stream.Unread);
    }

    [Fact]
    public async Task Dialer_reports_no_common_protocol()
    {
        var stream = new ScriptedDuplexStream(Concat(Header, Na, Na));

        var error = await Assert.ThrowsAsync<ProtocolNegotiationException>(
            () => MultistreamSelect.SelectAsync(stream, ["/a/1.0.0", "/b/1.0.0"], Token()));
        Assert.Contains("no common protocol", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/multistream/2.0.0")]
    [InlineData("/a/1.0.0")]
    [InlineData("na")]
    public async Task Dialer_rejects_a_listener_without_the_header(string first)
    {
        var stream = new ScriptedDuplexStream(Concat(Msg(first), Msg("/a/1.0.0")));

        await Assert.ThrowsAsync<ProtocolNegotiationException>(
            () => MultistreamSelect.SelectAsync(stream, ["/a/1.0.0"], Token()));
    }

    [Fact]
    public async Task Dialer_rejects_an_answer_that_is_neither_echo_nor_na()
    {
        var stream = new ScriptedDuplexStream(Concat(Header, Msg("/c/1.0.0")));

        await Assert.ThrowsAsync<ProtocolNegotiationException>(
            () => MultistreamSelect.SelectAsync(stream, ["/a/1.0.0"], Token()));
    }

    [Fact]
    public async Task Dialer_reports_a_listener_that_closes_as_end_of_stream()
    {
        var stream = new ScriptedDuplexStream(Header);

        await Assert.ThrowsAsync<EndOfStreamException>(
            () => MultistreamSelect.SelectAsync(stream, ["/a/1.0.0"], Token()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/a\n/b")]
    [InlineData("na")]
    [InlineData("ls")]
    [InlineData("/multistream/1.0.0")]
    public async Task Dialer_refuses_ids_that_cannot_be_proposed(string protocol)
    {
        var stream = new ScriptedDuplexStream([]);

        await Assert.ThrowsAsync<ArgumentException>(() => MultistreamSelect.SelectAsync(stream, [protocol], Token()));
        Assert.Throws<ArgumentException>(() => MultistreamSelect.SelectLazy(stream, protocol));
        Assert.Empty(stream.Writes);
    }

    [Fact]
    public async Task Dialer_refuses_an_empty_list_and_an_id_too_long_for_one_message()
    {
        var stream = new ScriptedDuplexStream([]);

        await Assert.ThrowsAsync<ArgumentException>(() => MultistreamSelect.SelectAsync(stream, [], Token()));
        await Assert.ThrowsAsync<ArgumentException>(
            () => MultistreamSelect.SelectAsync(stream, ["/" + new string('x', 1023)], Token()));
    }

    [Fact]
    public async Task Listener_answers_with_header_and_echo_in_one_write()
    {
        var stream = new ScriptedDuplexStream(Concat(Header, Msg("/a/1.0.0")));

        var chosen = await MultistreamSelect.HandleAsync(stream, SupportsA, Token());

        Assert.Equal("/a/1.0.0", chosen);
        var write = Assert.Single(stream.Writes);
        Assert.Equal(Concat(Header, Msg("/a/1.0.0")), write);
    }

    [Fact]
    public async Task Listener_answers_na_then_accepts()
    {
        var stream = new ScriptedDuplexStream(Concat(Header, Msg("/x/1.0.0"), Msg("/a/1.0.0")));

        var chosen = await MultistreamSelect.HandleAsync(stream, SupportsA, Token());

        Assert.Equal("/a/1.0.0", chosen);
        Assert.Equal([Concat(Header, Na), Msg("/a/1.0.0")], stream.Writes);
    }

    [Fact]
    public async Task Listener_answers_ls_with_na_even_when_everything_is_supported()
    {
        var stream = new ScriptedDuplexStream(Concat(Header, Ls, Header, Msg("/a/1.0.0")));

        var chosen = await MultistreamSelect.HandleAsync(stream, _ => true, Token());

        Assert.Equal("/a/1.0.0", chosen);
        Assert.Equal([Concat(Header, Na), Na, Msg("/a/1.0.0")], stream.Writes);
    }

    [Fact]
    public async Task Listener_accepts_a_proposal_split_into_single_byte_reads()
    {
        var stream = new ScriptedDuplexStream(Concat(Header, Msg("/a/1.0.0"), "rest"u8.ToArray()), maxReadChunk: 1);

        var chosen = await MultistreamSelect.HandleAsync(stream, SupportsA, Token());

        Assert.Equal("/a/1.0.0", chosen);
        Assert.Equal("rest"u8.ToArray(), stream.Unread);
    }

    [Fact]
    public async Task Listener_accepts_a_message_of_exactly_1024_bytes_and_refuses_1025()
    {
        var longest = "/" + new string('x', 1022);
        var accepted = new ScriptedDuplexStream(Concat(Header, Msg(longest)));
        Assert.Equal(longest, await MultistreamSelect.HandleAsync(accepted, _ => true, Token()));

        var tooLong = new ScriptedDuplexStream(Concat(Header, Msg(longest + "x")));
        await Assert.ThrowsAsync<ProtocolNegotiationException>(
            () => MultistreamSelect.HandleAsync(tooLong, _ => true, Token()));
    }

    [Fact]
    public async Task Listener_refuses_a_huge_announced_length_without_reading_it()
    {
        // 2^40 announced, nothing follows: must fail on the length alone.
        var stream = new ScriptedDuplexStream(Concat(Header, [0x80, 0x80, 0x80, 0x80, 0x80, 0x20]));

        await Assert.ThrowsAsync<ProtocolNegotiationException>(
            () => MultistreamSelect.HandleAsync(stream, _ => true, Token()));
    }

    public static TheoryData<string, byte[]> MalformedProposals => new()
    {
        { "non-UTF-8", [0x04, 0x2f, 0xff, 0xfe, 0x0a] },
        { "lone surrogate in UTF-8", [0x05, 0xed, 0xa0, 0x80, 0x2f, 0x0a] },
        { "missing newline", [0x03, 0x2f, 0x61, 0x62] },
        { "empty message", [0x00] },
        { "non-minimal varint", [0x83, 0x00, 0x2f, 0x61, 0x0a] },
        { "varint longer than 9 bytes", [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01] },
    };

    [Theory]
    [MemberData(nameof(MalformedProposals))]
    public async Task Listener_refuses_malformed_proposals(string what, byte[] proposal)
    {
        var stream = new ScriptedDuplexStream(Concat(Header, proposal));

        var error = await Record.ExceptionAsync(() => MultistreamSelect.HandleAsync(stream, _ => true, Token()));
        Assert.True(error is ProtocolNegotiationException, $"{what}: {error}");
    }

    [Theory]
    [MemberData(nameof(MalformedProposals))]
    public async Task Listener_refuses_a_malformed_header(string what, byte[] header)
    {
        var stream = new ScriptedDuplexStream(Concat(header, Msg("/a/1.0.0")));

        var error = await Record.ExceptionAsync(() => MultistreamSelect.HandleAsync(stream, _ => true, Token()));
        Assert.True(error is ProtocolNegotiationException, $"{what}: {error}");
        Assert.Empty(stream.Writes);
    }

    [Theory]
    [InlineData("/multistream/2.0.0")]
    [InlineData("/a/1.0.0")]
    [InlineData("ls")]
    public async Task Listener_refuses_a_dialer_that_does_not_start_with_the_header(string first)
    {
        var stream = new ScriptedDuplexStream(Concat(Msg(first), Msg("/a/1.0.0")));

        await Assert.ThrowsAsync<ProtocolNegotiationException>(
            () => MultistreamSelect.HandleAsync(stream, SupportsA, Token()));
        Assert.Empty(stream.Writes);
    }

    [Fact]
    public async Task Listener_reports_every_truncation_as_end_of_stream()
    {
        var transcript = Concat(Header, Msg("/x/1.0.0"), Msg("/a/1.0.0"));
        for (var cut = 0; cut < transcript.Length; cut++)
        {
            var stream = new ScriptedDuplexStream(transcript[..cut]);
            var error = await Record.ExceptionAsync(() => MultistreamSelect.HandleAsync(stream, SupportsA, Token()));
            Assert.True(error is EndOfStreamException, $"cut at {cut}: {error}");
        }
    }

    [Fact]
    public async Task Listener_gives_up_after_32_rejected_proposals()
    {
        var proposals = Enumerable.Range(0, 40).Select(i => Msg($"/unsupported/{i}")).ToArray();
        var stream = new ScriptedDuplexStream(Concat([Header, .. proposals]));

        await Assert.ThrowsAsync<ProtocolNegotiationException>(
            () => MultistreamSelect.HandleAsync(stream, SupportsA, Token()));
        Assert.Equal(MultistreamSelect.MaxRejectedProposals, stream.Writes.Count);
    }

    [Fact]
    public async Task Listener_accepts_after_31_rejected_proposals()
    {
        var proposals = Enumerable.Range(0, 31).Select(i => Msg($"/unsupported/{i}")).ToArray();
        var stream = new ScriptedDuplexStream(Concat([Header, .. proposals, Msg("/a/1.0.0")]));

        Assert.Equal("/a/1.0.0", await MultistreamSelect.HandleAsync(stream, SupportsA, Token()));
    }

    [Fact]
    public async Task Listener_passes_utf8_protocol_ids_through()
    {
        const string Protocol = "/dione/ünïcødé/1";
        var stream = new ScriptedDuplexStream(Concat(Header, Encoding.UTF8.GetBytes("\u0015" + Protocol + "\n")));

        Assert.Equal(Protocol, await MultistreamSelect.HandleAsync(stream, p => p == Protocol, Token()));
        Assert.Equal(Concat(Header, Msg(Protocol)), Assert.Single(stream.Writes));
    }

    [Fact]
    public async Task Lazy_dialer_writes_the_handshake_at_once_and_then_data_unchanged()
    {
        var stream = new ScriptedDuplexStream(Concat(Header, Msg("/a/1.0.0"), "pong"u8.ToArray()));

        await using var lazy = MultistreamSelect.SelectLazy(stream, "/a/1.0.0");
        Assert.Equal(Concat(Header, Msg("/a/1.0.0")), Assert.Single(stream.Writes));

        await lazy.WriteAsync("ping"u8.ToArray(), Token());
        Assert.Equal("ping"u8.ToArray(), stream.Writes[1]);

        var buffer = new byte[16];
        var read = await lazy.ReadAsync(buffer, Token());
        Assert.Equal("pong", Encoding.ASCII.GetString(buffer, 0, read));
    }

    [Fact]
    public async Task Lazy_dialer_read_fails_on_na_and_keeps_failing()
    {
        var stream = new ScriptedDuplexStream(Concat(Header, Na, "junk"u8.ToArray()));

        await using var lazy = MultistreamSelect.SelectLazy(stream, "/a/1.0.0");

        var buffer = new byte[16];
        await Assert.ThrowsAsync<ProtocolNegotiationException>(() => lazy.ReadAsync(buffer, Token()).AsTask());
        await Assert.ThrowsAsync<ProtocolNegotiationException>(() => lazy.ReadAsync(buffer, Token()).AsTask());
        Assert.Throws<ProtocolNegotiationException>(() => lazy.Read(buffer, 0, buffer.Length));
    }

    [Fact]
    public async Task Lazy_dialer_read_fails_on_a_wrong_echo_or_header()
    {
        var buffer = new byte[16];
        await using var wrongEcho = MultistreamSelect.SelectLazy(
            new ScriptedDuplexStream(Concat(Header, Msg("/b/1.0.0"))), "/a/1.0.0");
        await Assert.ThrowsAsync<ProtocolNegotiationException>(() => wrongEcho.ReadAsync(buffer, Token()).AsTask());

        await using var wrongHeader = MultistreamSelect.SelectLazy(
            new ScriptedDuplexStream(Concat(Msg("/a/1.0.0"), Msg("/a/1.0.0"))), "/a/1.0.0");
        await Assert.ThrowsAsync<ProtocolNegotiationException>(() => wrongHeader.ReadAsync(buffer, Token()).AsTask());
    }

    [Fact]
    public void Lazy_dialer_supports_synchronous_use()
    {
        var stream = new ScriptedDuplexStream(Concat(Header, Msg("/a/1.0.0"), "pong"u8.ToArray()));
        using var lazy = MultistreamSelect.SelectLazy(stream, "/a/1.0.0");

        lazy.Write("ping"u8);
        var buffer = new byte[4];
        lazy.ReadExactly(buffer);

        Assert.Equal("pong"u8.ToArray(), buffer);
        Assert.Equal([Concat(Header, Msg("/a/1.0.0")), "ping"u8.ToArray()], stream.Writes);
    }
}
