using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Dione.Cli.Api;

/// <summary>
/// A streamed reply, as kubo sends a command that emits many values: newline-delimited JSON, flushed value by value,
/// with <c>X-Chunked-Output: 1</c>, and an error after the first value sent as the <c>X-Stream-Error</c> trailer.
/// </summary>
/// <remarks>
/// Kestrel offers no response trailers on HTTP/1.1, so this stream writes the chunked framing itself (Kestrel leaves
/// the body alone when the application sets <c>Transfer-Encoding: chunked</c>). <see cref="ApiEndpoint"/> ends every
/// started stream with <see cref="CompleteAsync"/>.
/// </remarks>
public sealed class ApiStream
{
    private readonly HttpContext _context;
    private bool _completed;

    public ApiStream(HttpContext context)
    {
        _context = context;
        context.Items[typeof(ApiStream)] = this;
    }

    public bool Started => _context.Response.HasStarted;

    public async Task WriteAsync<T>(T value)
    {
        await StartAsync().ConfigureAwait(false);
        var json = JsonSerializer.SerializeToUtf8Bytes(value, ApiJson.Options);
        var chunk = Encoding.ASCII.GetBytes((json.Length + 1).ToString("x", CultureInfo.InvariantCulture) + "\r\n");
        await WriteRawAsync([.. chunk, .. json, (byte)'\n', (byte)'\r', (byte)'\n']).ConfigureAwait(false);
    }

    /// <summary>Starts the reply with no value yet (a command that may emit nothing still answers 200).</summary>
    public async Task StartAsync()
    {
        if (_context.Response.HasStarted)
        {
            return;
        }
        var response = _context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.Headers[ApiResponse.ChunkedOutputHeader] = "1";
        response.Headers.Trailer = ApiResponse.StreamErrorTrailer;
        response.Headers.TransferEncoding = "chunked";
        await response.StartAsync(_context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Ends the body: the last chunk, with the error as <c>X-Stream-Error</c> when there is one.</summary>
    internal async Task CompleteAsync(string? error)
    {
        if (_completed || !_context.Response.HasStarted)
        {
            return;
        }
        _completed = true;
        var trailer = error is null ? "" : $"{ApiResponse.StreamErrorTrailer}: {HeaderSafe(error)}\r\n";
        await WriteRawAsync(Encoding.ASCII.GetBytes($"0\r\n{trailer}\r\n")).ConfigureAwait(false);
    }

    internal static ApiStream? Of(HttpContext context) => context.Items.TryGetValue(typeof(ApiStream), out var stream) ? stream as ApiStream : null;

    private async Task WriteRawAsync(byte[] bytes)
    {
        await _context.Response.Body.WriteAsync(bytes, _context.RequestAborted).ConfigureAwait(false);
        await _context.Response.Body.FlushAsync(_context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>One line of printable ASCII, at most 1 KiB, as a header value must be.</summary>
    private static string HeaderSafe(string text)
    {
        var safe = new string([.. text.Select(c => c is >= ' ' and <= '~' ? c : ' ')]).Trim();
        return safe.Length <= 1024 ? safe : safe[..1024];
    }
}
