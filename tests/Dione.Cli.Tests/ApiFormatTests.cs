using System.Text;
using System.Text.Json;
using Dione.Cli.Api;
using Dione.Cli.Api.Models;

namespace Dione.Cli.Tests;

/// <summary>The API's small formats: Go's duration strings (kubo's latencies) and the line-capped ndjson the CLI reads.</summary>
public sealed class ApiFormatTests
{
    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1L, "100ns")]
    [InlineData(10L, "1µs")]
    [InlineData(8_500L, "850µs")]
    [InlineData(12_345L, "1.2345ms")]
    [InlineData(10_000L, "1ms")]
    [InlineData(15_000_000L, "1.5s")]
    [InlineData(1_230_000_000L, "2m3s")]
    [InlineData(37_230_000_000L, "1h2m3s")]
    [InlineData(36_000_000_000L, "1h0m0s")]
    [InlineData(-15_000L, "-1.5ms")]
    public void Durations_print_as_gos_time_Duration_String(long ticks, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromTicks(ticks)));

    [Fact]
    public async Task Ndjson_values_split_across_reads_arrive_whole_and_a_last_line_without_newline_counts()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"Strings\":[\"a\"]}\n\n{\"Strings\":[\"µ\"]}\n{\"Strings\":null}");
        using var stream = new LineLimitedStream(new TrickleStream(bytes, chunk: 3), 64);

        var values = new List<IReadOnlyList<string>?>();
        await foreach (var value in JsonSerializer.DeserializeAsyncEnumerable(stream, ApiJson.TypeInfo<StringList>(), topLevelValues: true))
        {
            values.Add(value!.Strings);
        }

        Assert.Equal([["a"], ["µ"], null], values);
    }

    [Theory]
    [InlineData("{\"Strings\":[\"" + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" + "\"]}\n")]
    [InlineData("{\"Strings\":[]}\n{\"Strings\":[\"" + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" + "\"]}\n")]
    [InlineData("{\"Strings\":[\"" + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    public async Task Ndjson_lines_longer_than_the_cap_are_refused(string text)
    {
        using var stream = new LineLimitedStream(new TrickleStream(Encoding.UTF8.GetBytes(text), chunk: 7), 64);

        await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var unused in JsonSerializer.DeserializeAsyncEnumerable(stream, ApiJson.TypeInfo<StringList>(), topLevelValues: true))
            {
            }
        });
    }

    [Fact]
    public void A_line_cap_counts_from_each_newline_so_many_short_lines_pass()
    {
        var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"Strings\":[]}\n", 100)));
        using var stream = new LineLimitedStream(new MemoryStream(bytes), 16);

        Assert.Equal(bytes, ReadAll(stream));
    }

    [Fact]
    public async Task Ndjson_that_is_not_json_is_refused()
    {
        using var stream = new LineLimitedStream(new MemoryStream(Encoding.UTF8.GetBytes("{\"Strings\":[]}\nnot json\n")), 64);

        await Assert.ThrowsAnyAsync<JsonException>(async () =>
        {
            await foreach (var unused in JsonSerializer.DeserializeAsyncEnumerable(stream, ApiJson.TypeInfo<StringList>(), topLevelValues: true))
            {
            }
        });
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read, as a slow network would.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
