using Dione.Cli.Api.Models;
using Dione.Messenger.Conversations;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Dione.Cli.Api;

/// <summary>
/// Wraps a command's handler: a failure before the reply started becomes kubo's error reply (500 with code 0, or 400
/// with code 1 for a bad request, which a <see cref="MessengerException"/> is); after a stream started, its <c>X-Stream-Error</c> trailer. Never a stack trace.
/// </summary>
public static class ApiEndpoint
{
    public static RequestDelegate Handle(Func<HttpContext, Task> handler, ILogger? logger) => async context =>
    {
        try
        {
            await handler(context).ConfigureAwait(false);
            if (ApiStream.Of(context) is { } stream)
            {
                await stream.CompleteAsync(null).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody to answer.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var badRequest = e is ApiException { BadRequest: true } or CliException or MessengerException or BadHttpRequestException;
            if (e is not (ApiException or CliException or MessengerException) && logger is not null)
            {
                ApiLog.CommandFailed(logger, context.Request.Path, e.GetType().Name, e.Message);
            }
            var message = e is TimeoutException or OperationCanceledException ? $"request timed out: {e.Message}" : e.Message;
            await FailAsync(context, message, badRequest).ConfigureAwait(false);
        }
    };

    private static async Task FailAsync(HttpContext context, string message, bool badRequest)
    {
        if (!context.Response.HasStarted)
        {
            context.Response.Headers.Remove(ApiResponse.ChunkedOutputHeader);
            context.Response.Headers.Trailer = default;
            context.Response.Headers.TransferEncoding = default;
            var status = badRequest ? StatusCodes.Status400BadRequest : StatusCodes.Status500InternalServerError;
            await ApiResponse.WriteErrorAsync(context, status, new ApiError(message, badRequest ? 1 : 0)).ConfigureAwait(false);
            return;
        }
        if (ApiStream.Of(context) is { } stream)
        {
            await stream.CompleteAsync(message).ConfigureAwait(false);
        }
    }
}
