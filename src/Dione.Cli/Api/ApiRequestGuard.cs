using System.Net;
using System.Security.Cryptography;
using System.Text;
using Dione.Cli.Api.Models;
using Microsoft.AspNetCore.Http;

namespace Dione.Cli.Api;

/// <summary>
/// Lets a request through only when it comes from loopback (else 403), names a loopback host (DNS rebinding: else
/// 403), carries no browser <c>Origin</c> other than the API's own (else 403, as kubo refuses origins it does not
/// allow), and presents the token as <c>Authorization: Bearer …</c> (else 401).
/// </summary>
public sealed class ApiRequestGuard(string token)
{
    private const string Scheme = "Bearer ";
    private readonly byte[] _expected = Encoding.ASCII.GetBytes(token);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.ContentLength is > ApiServer.MaxRequestBodyBytes)
        {
            // The server will not drain a body this large after answering, so it closes the connection; saying so
            // keeps a client from sending its next request on a connection that is about to go.
            context.Response.Headers.Connection = "close";
        }
        var refusal = Check(context);
        if (refusal is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = refusal.Value.Status;
        if (refusal.Value.Status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }
        await ApiResponse.WriteErrorAsync(context, refusal.Value.Status, new ApiError(refusal.Value.Message, 1)).ConfigureAwait(false);
    }

    private (int Status, string Message)? Check(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
        {
            return (StatusCodes.Status403Forbidden, "403 - Forbidden: the API answers loopback clients only");
        }
        if (!IsLoopbackHost(context.Request.Host.Host))
        {
            return (StatusCodes.Status403Forbidden, "403 - Forbidden: the Host header must name a loopback address");
        }
        var origin = context.Request.Headers.Origin;
        if (origin.Count > 0 && !origin.All(o => IsOwnOrigin(o, context)))
        {
            return (StatusCodes.Status403Forbidden, "403 - Forbidden: cross-origin requests are not allowed");
        }
        if (!HasToken(context.Request.Headers.Authorization))
        {
            return (StatusCodes.Status401Unauthorized, $"missing or wrong API token: send 'Authorization: Bearer TOKEN' with the token from the repo's {ApiRepoFiles.TokenFileName} file");
        }
        return null;
    }

    /// <summary>Exactly one <c>Authorization</c> header, scheme <c>Bearer</c> in any case (RFC 9110), and the token.</summary>
    private bool HasToken(Microsoft.Extensions.Primitives.StringValues authorization) =>
        authorization.Count == 1
        && authorization[0] is { } value
        && value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(value[Scheme.Length..]), _expected);

    private static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static bool IsOwnOrigin(string? origin, HttpContext context) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttp
        && uri.Port == context.Connection.LocalPort
        && IsLoopbackHost(uri.Host);
}
