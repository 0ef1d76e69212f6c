using System.Net;
using Dione.Cli.Api;
using Microsoft.AspNetCore.Http;

namespace Dione.Cli.Tests;

/// <summary>
/// The API's request guard on its own, including what the loopback-only binding keeps from ever reaching it over
/// the network: a request from a non-loopback address.
/// </summary>
public sealed class ApiRequestGuardTests
{
    private const string Token = "k7Qd1mVq3m0yqWc5J2n8u4xZr6sT9bPaLhEeFgGiHjK";

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1:5101", null, "Bearer " + Token, 200)]
    [InlineData("::1", "[::1]:5101", null, "Bearer " + Token, 200)]
    [InlineData("127.0.0.2", "localhost:5101", "http://localhost:5101", "Bearer " + Token, 200)]
    [InlineData("192.0.2.7", "127.0.0.1:5101", null, "Bearer " + Token, 403)]
    [InlineData("10.0.0.1", "127.0.0.1:5101", null, "Bearer " + Token, 403)]
    [InlineData("127.0.0.1", "dione.example:5101", null, "Bearer " + Token, 403)]
    [InlineData("127.0.0.1", "127.0.0.1:5101", "http://dione.example:5101", "Bearer " + Token, 403)]
    [InlineData("127.0.0.1", "127.0.0.1:5101", "https://127.0.0.1:5101", "Bearer " + Token, 403)]
    [InlineData("127.0.0.1", "127.0.0.1:5101", null, "Bearer " + Token + "x", 401)]
    [InlineData("127.0.0.1", "127.0.0.1:5101", null, "bearer " + Token, 200)]
    [InlineData("127.0.0.1", "127.0.0.1:5101", null, "Basic " + Token, 401)]
    [InlineData("127.0.0.1", "127.0.0.1:5101", null, Token, 401)]
    [InlineData("127.0.0.1", "127.0.0.1:5101", null, null, 401)]
    public async Task Only_loopback_requests_for_a_loopback_host_from_no_foreign_origin_with_the_token_pass(
        string remote, string host, string? origin, string? authorization, int expected)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        context.Connection.LocalPort = 5101;
        context.Request.Method = "POST";
        context.Request.Host = HostString.FromUriComponent(host);
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }
        context.Response.Body = new MemoryStream();
        var passed = false;

        await new ApiRequestGuard(Token).InvokeAsync(context, _ =>
        {
            passed = true;
            return Task.CompletedTask;
        });

        Assert.Equal(expected == 200, passed);
        Assert.Equal(expected, context.Response.StatusCode);
    }
}
