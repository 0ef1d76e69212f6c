using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Dione.Cli.Api;

/// <summary>Reads a file argument as kubo's RPC takes it: the first part of a <c>multipart/form-data</c> body, size-capped.</summary>
public static class MultipartValue
{
    private const int MaxBoundaryLength = 70;

    public static async Task<byte[]> ReadAsync(HttpContext context, string name, int maxBytes)
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type)
            || !type.MediaType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= MaxBoundaryLength } boundary)
        {
            throw ApiException.Client($"file argument '{name}' is required");
        }
        var reader = new MultipartReader(boundary, context.Request.Body)
        {
            HeadersCountLimit = 16,
            HeadersLengthLimit = 8 * 1024,
            BodyLengthLimit = maxBytes,
        };
        MultipartSection? section;
        try
        {
            section = await reader.ReadNextSectionAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw ApiException.Client($"file argument '{name}': {e.Message}");
        }
        if (section is null)
        {
            throw ApiException.Client($"file argument '{name}' is required");
        }
        using var buffer = new MemoryStream();
        try
        {
            await section.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            throw ApiException.Client($"file argument '{name}' is larger than {maxBytes} bytes");
        }
        return buffer.ToArray();
    }
}
