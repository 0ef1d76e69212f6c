using Microsoft.AspNetCore.Http;

namespace Dione.Cli.Api.Endpoints;

/// <summary>
/// <c>/api/v0/shutdown</c>: stops the daemon as SIGTERM does, answering 200 with no body as kubo does. The stop is
/// requested once the reply has been sent, so the client always gets it; the daemon then closes the API (removing
/// its files), the node and the repo lock, and exits 0.
/// </summary>
public static class ShutdownEndpoint
{
    public static void Map(ApiRoutes routes, Action requestShutdown) => routes.Post("shutdown", context =>
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.OnCompleted(() =>
        {
            requestShutdown();
            return Task.CompletedTask;
        });
        return Task.CompletedTask;
    });
}
