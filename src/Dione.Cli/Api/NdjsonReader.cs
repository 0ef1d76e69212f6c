using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Dione.Cli.Api;

/// <summary>Reads newline-delimited JSON values from a stream (blank lines skipped), refusing any line longer than a cap.</summary>
public static class NdjsonReader
{
    public static async IAsyncEnumerable<JsonElement> ReadAsync(Stream stream, int maxLineBytes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                var lines = new List<JsonElement>();
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    var line = buffer.Slice(0, end);
                    if (!IsBlank(line))
                    {
                        lines.Add(Parse(line, maxLineBytes));
                    }
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                }
                if (buffer.Length > maxLineBytes)
                {
                    throw new InvalidDataException($"a line of the daemon's reply is longer than {maxLineBytes} bytes");
                }
                var completed = result.IsCompleted;
                if (completed && buffer.Length > 0 && !IsBlank(buffer))
                {
                    lines.Add(Parse(buffer, maxLineBytes));
                    buffer = buffer.Slice(buffer.End);
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                foreach (var line in lines)
                {
                    yield return line;
                }
                if (completed)
                {
                    yield break;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static JsonElement Parse(ReadOnlySequence<byte> line, int maxLineBytes)
    {
        if (line.Length > maxLineBytes)
        {
            throw new InvalidDataException($"a line of the daemon's reply is longer than {maxLineBytes} bytes");
        }
        var reader = new Utf8JsonReader(line);
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.Clone();
    }

    private static bool IsBlank(ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\r' or (byte)'\t'))
                {
                    return false;
                }
            }
        }
        return true;
    }
}
