using System.Text;
using Dione.Kademlia.Records;

namespace Dione.Kademlia.Tests.Records;

public class Rfc3339TimestampTests
{
    private static Rfc3339Timestamp Parse(string text) => Rfc3339Timestamp.Parse(Encoding.ASCII.GetBytes(text));

    [Fact]
    public void Parses_the_spec_example_with_nanoseconds()
    {
        Assert.Equal(new Rfc3339Timestamp(0, 1), Parse("1970-01-01T00:00:00.000000001Z"));
    }

    [Fact]
    public void Parses_the_fixture_validity_and_formats_it_back_as_go_does()
    {
        var time = Parse("2123-08-14T12:17:03.694052Z");

        Assert.Equal(new DateTimeOffset(2123, 8, 14, 12, 17, 3, TimeSpan.Zero).ToUnixTimeSeconds(), time.UnixSeconds);
        Assert.Equal(694_052_000, time.Nanoseconds);
        Assert.Equal("2123-08-14T12:17:03.694052Z", time.ToString());
    }

    [Theory]
    [InlineData("2026-01-31T15:56:12.714899293Z", "2026-01-31T15:56:12.714899293Z")]
    [InlineData("2026-01-31T15:56:12Z", "2026-01-31T15:56:12Z")]
    [InlineData("2026-01-31T15:56:12.5Z", "2026-01-31T15:56:12.5Z")]
    [InlineData("2026-01-31T17:56:12.100+02:00", "2026-01-31T15:56:12.1Z")]
    [InlineData("2026-01-31T00:30:00-01:30", "2026-01-31T02:00:00Z")]
    [InlineData("2024-02-29T23:59:59.999999999Z", "2024-02-29T23:59:59.999999999Z")]
    public void Normalises_to_utc_with_trailing_zeros_dropped(string text, string expected)
    {
        Assert.Equal(expected, Parse(text).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026-01-31")]
    [InlineData("2026-01-31 15:56:12Z")]
    [InlineData("2026-01-31t15:56:12Z")]
    [InlineData("2026-01-31T15:56:12")]
    [InlineData("2026-01-31T15:56:12z")]
    [InlineData("2026-01-31T15:56:12.Z")]
    [InlineData("2026-01-31T15:56:12.1234567890Z")]
    [InlineData("2026-01-31T15:56:60Z")]
    [InlineData("2026-01-31T24:00:00Z")]
    [InlineData("2026-02-29T00:00:00Z")]
    [InlineData("2026-13-01T00:00:00Z")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("2026-01-31T15:56:12+24:00")]
    [InlineData("2026-01-31T15:56:12+0100")]
    [InlineData("2026-01-31T15:56:12Z ")]
    [InlineData("+2026-01-31T15:56:12Z")]
    public void Refuses_anything_else(string text)
    {
        Assert.Throws<FormatException>(() => Parse(text));
    }

    [Fact]
    public void Orders_by_nanoseconds_beyond_datetime_resolution()
    {
        Assert.True(Parse("2026-01-31T15:56:12.000000002Z") > Parse("2026-01-31T15:56:12.000000001Z"));
        Assert.True(Parse("2026-01-31T15:56:13Z") > Parse("2026-01-31T15:56:12.999999999Z"));
    }

    [Fact]
    public void Round_trips_a_date_time_offset()
    {
        var now = new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.FromHours(3)).AddTicks(1234567);

        var timestamp = Rfc3339Timestamp.FromDateTimeOffset(now);

        Assert.Equal(now, timestamp.ToDateTimeOffset());
        Assert.Equal(timestamp, Parse(timestamp.ToString()));
    }
}
