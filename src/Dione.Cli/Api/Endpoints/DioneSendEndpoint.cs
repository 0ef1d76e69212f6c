using System.Text;
using Dione.Cli.Api.Models;
using Dione.Messenger.Conversations;
using Dione.Messenger.Node;
using Microsoft.AspNetCore.Http;

namespace Dione.Cli.Api.Endpoints;

/// <summary>
/// <c>/api/v0/dione/send?arg=NAME[&amp;arg=TEXT]</c>: the message is the second argument, or else the request body:
/// the first part of a <c>multipart/form-data</c> body (as kubo takes file arguments) or, with any other content type,
/// the raw body. It must be non-empty UTF-8 text of at most <see cref="MessengerOptions.MaxMessageBytes"/> bytes.
/// </summary>
public static class DioneSendEndpoint
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void Map(ApiRoutes routes, DioneNode node) =>
        routes.Post("dione/send", context => SendAsync(context, node.Messenger));

    private static async Task SendAsync(HttpContext context, DioneMessenger messenger)
    {
        var arguments = ApiRequest.Arguments(context);
        if (arguments.Count == 0 || arguments[0].Length == 0)
        {
            throw ApiException.Client("argument \"name\" is required");
        }
        if (arguments.Count > 2)
        {
            throw ApiException.Client($"expected a contact name and at most one message, got {arguments.Count} arguments");
        }
        var body = arguments.Count == 2 ? Encoding.UTF8.GetBytes(arguments[1]) : await ReadBodyAsync(context).ConfigureAwait(false);
        if (body.Length == 0)
        {
            throw ApiException.Client("a message cannot be empty");
        }
        try
        {
            StrictUtf8.GetCharCount(body);
        }
        catch (DecoderFallbackException)
        {
            throw ApiException.Client("a message must be UTF-8 text");
        }
        var result = await messenger.SendAsync(arguments[0], body, context.RequestAborted).ConfigureAwait(false);
        await ApiResponse.WriteAsync(context, new DioneSendOutput(
            result.OutboxId, arguments[0], result.FirstAttempt.Acknowledged.Count, result.FirstAttempt.Wanted)).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        const int MaxBytes = (int)ApiServer.MaxRequestBodyBytes;
        if (context.Request.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true)
        {
            return await MultipartValue.ReadAsync(context, "message", MaxBytes).ConfigureAwait(false);
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw ApiException.Client($"the request body is larger than {MaxBytes} bytes");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
