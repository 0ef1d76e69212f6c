namespace Dione.Kademlia.Tests;

public class RecordTimestampTests
{
    [Theory]
    [InlineData(0, "2024-05-01T12:00:00Z")]
    [InlineData(1_000_000, "2024-05-01T12:00:00.1Z")]
    [InlineData(1_234_567, "2024-05-01T12:00:00.1234567Z")]
    public void Formats_as_go_rfc3339_nano_in_utc(long ticks, string expected)
    {
        var time = new DateTimeOffset(2024, 5, 1, 14, 0, 0, TimeSpan.FromHours(2)).AddTicks(ticks);

        Assert.Equal(expected, RecordTimestamp.Format(time));
        Assert.True(RecordTimestamp.TryParse(expected, out var parsed));
        Assert.Equal(time, parsed);
    }

    [Theory]
    [InlineData("2024-05-01T12:00:00.123456789Z", 1_234_567)] // go's nanoseconds: sub-100 ns digits dropped
    [InlineData("2024-05-01T14:00:00+02:00", 0)]
    public void Parses_what_go_writes(string text, long ticks)
    {
        Assert.True(RecordTimestamp.TryParse(text, out var parsed));
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(ticks), parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2024-05-01")]
    [InlineData("2024-13-01T00:00:00Z")]
    [InlineData("2024-05-01T12:00:00.Z")]
    public void Refuses_anything_else(string? text)
    {
        Assert.False(RecordTimestamp.TryParse(text, out _));
    }
}
