using System.Text.Json;
using Dione.Cli.Api.Models;
using Microsoft.AspNetCore.Http;

namespace Dione.Cli.Api;

/// <summary>Writes replies as kubo's RPC does: one JSON value and a newline, <c>application/json</c>.</summary>
public static class ApiResponse
{
    public const string StreamErrorTrailer = "X-Stream-Error";
    public const string ChunkedOutputHeader = "X-Chunked-Output";

    public static async Task WriteAsync<T>(HttpContext context, T value)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await WriteLineAsync(context, value).ConfigureAwait(false);
    }

    public static async Task WriteErrorAsync(HttpContext context, int status, ApiError error)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await WriteLineAsync(context, error).ConfigureAwait(false);
    }

    internal static async Task WriteLineAsync<T>(HttpContext context, T value)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, ApiJson.Options);
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.WriteAsync("\n"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }
}
