using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Dione.Cli.Api;

/// <summary>Maps commands under <c>/api/v0/</c>, POST only as kubo's RPC (other methods get 405, unknown paths 404).</summary>
public sealed class ApiRoutes(IEndpointRouteBuilder endpoints, ILogger? logger)
{
    public const string Prefix = "/api/v0/";

    public void Post(string command, Func<HttpContext, Task> handler) =>
        endpoints.MapPost(Prefix + command, ApiEndpoint.Handle(handler, logger));
}
