using Dione.Libp2p.Multiformats;

namespace Dione.Libp2p.Tests.Multiformats;

/// <summary>multiformats/unsigned-varint: the spec's examples, the 9-byte/63-bit limit, minimality, truncation.</summary>
public class VarintTests
{
    [Theory]
    [InlineData(1UL, "01")]
    [InlineData(127UL, "7f")]
    [InlineData(128UL, "8001")]
    [InlineData(255UL, "ff01")]
    [InlineData(300UL, "ac02")]
    [InlineData(16384UL, "808001")]
    [InlineData(0UL, "00")]
    [InlineData(long.MaxValue, "ffffffffffffffff7f")]
    public void Spec_examples_encode_and_decode(ulong value, string hex)
    {
        var bytes = Convert.FromHexString(hex);

        Assert.Equal(bytes, Varint.Encode(value));
        Assert.Equal(bytes.Length, Varint.SizeOf(value));
        Assert.Equal(bytes.Length, Varint.TryRead(bytes, out var decoded));
        Assert.Equal(value, decoded);
    }

    [Fact]
    public void Values_above_63_bits_cannot_be_written()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Varint.Encode((ulong)long.MaxValue + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Varint.Write(new byte[16], ulong.MaxValue));
    }

    [Fact]
    public void Nine_bytes_all_with_continuation_is_too_long_not_incomplete()
    {
        var bytes = Convert.FromHexString("ffffffffffffffffff");

        Assert.Throws<FormatException>(() => Varint.TryRead(bytes, out _));
    }

    [Fact]
    public void Ten_byte_encoding_is_refused()
    {
        var bytes = Convert.FromHexString("ffffffffffffffffff01");

        Assert.Throws<FormatException>(() => Varint.TryRead(bytes, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("80")]
    [InlineData("ffffffffffffffff")]
    public void Incomplete_varint_asks_for_more(string hex)
    {
        Assert.Equal(0, Varint.TryRead(Convert.FromHexString(hex), out var value));
        Assert.Equal(0UL, value);
        Assert.Throws<FormatException>(() => Varint.Read(Convert.FromHexString(hex), out _));
    }

    [Theory]
    [InlineData("8000")]
    [InlineData("ff00")]
    [InlineData("808000")]
    public void Non_minimal_encoding_is_refused(string hex) =>
        Assert.Throws<FormatException>(() => Varint.TryRead(Convert.FromHexString(hex), out _));

    [Fact]
    public void Trailing_bytes_are_left_unread()
    {
        Assert.Equal(2, Varint.TryRead(Convert.FromHexString("ac02ff"), out var value));
        Assert.Equal(300UL, value);
    }

    [Fact]
    public async Task Stream_reader_matches_span_reader_and_reports_clean_end()
    {
        using var stream = new MemoryStream(Convert.FromHexString("ac02" + "ffffffffffffffff7f"));

        Assert.Equal(300UL, await Varint.ReadAsync(stream, CancellationToken.None));
        Assert.Equal((ulong)long.MaxValue, await Varint.ReadAsync(stream, CancellationToken.None));
        Assert.Null(await Varint.ReadAsync(stream, CancellationToken.None));
    }

    [Fact]
    public async Task Stream_reader_refuses_over_long_and_truncated_varints()
    {
        using var overLong = new MemoryStream(Convert.FromHexString("ffffffffffffffffff01"));
        using var truncated = new MemoryStream(Convert.FromHexString("ff"));

        await Assert.ThrowsAsync<FormatException>(async () => await Varint.ReadAsync(overLong, CancellationToken.None));
        await Assert.ThrowsAsync<EndOfStreamException>(async () => await Varint.ReadAsync(truncated, CancellationToken.None));
    }

    [Fact]
    public void Every_width_round_trips()
    {
        for (var bits = 0; bits <= 63; bits++)
        {
            var value = bits == 0 ? 0 : (1UL << bits) - 1;
            var bytes = Varint.Encode(value);
            Assert.Equal(bytes.Length, Varint.TryRead(bytes, out var decoded));
            Assert.Equal(value, decoded);
            Assert.True(bytes.Length <= Varint.MaxLength);
        }
    }
}
