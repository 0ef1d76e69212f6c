using System.Text;
using Dione.Cli.Api;

namespace Dione.Cli.Tests;

/// <summary>The API's small formats: Go's duration strings (kubo's latencies) and the bounded ndjson reader the CLI uses.</summary>
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
    public async Task Ndjson_lines_split_across_reads_arrive_whole_and_a_last_line_without_newline_counts()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"a\":1}\n\n{\"b\":\"µ\"}\n{\"c\":[1,2]}");
        using var stream = new TrickleStream(bytes, chunk: 3);

        var values = new List<string>();
        await foreach (var value in NdjsonReader.ReadAsync(stream, 64, CancellationToken.None))
        {
            values.Add(value.GetRawText());
        }

        Assert.Equal(["{\"a\":1}", "{\"b\":\"µ\"}", "{\"c\":[1,2]}"], values);
    }

    [Theory]
    [InlineData("{\"a\":\"" + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" + "\"}\n")]
    [InlineData("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    public async Task Ndjson_lines_longer_than_the_cap_are_refused(string text)
    {
        using var stream = new TrickleStream(Encoding.UTF8.GetBytes(text), chunk: 7);

        await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var unused in NdjsonReader.ReadAsync(stream, 64, CancellationToken.None))
            {
            }
        });
    }

    [Fact]
    public async Task Ndjson_that_is_not_json_is_refused()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"a\":1}\nnot json\n"));

        await Assert.ThrowsAnyAsync<System.Text.Json.JsonException>(async () =>
        {
            await foreach (var unused in NdjsonReader.ReadAsync(stream, 64, CancellationToken.None))
            {
            }
        });
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read, as a slow network would.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
