using System.Net;
using Dione.Cli.Api.Endpoints;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Messenger.Node;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dione.Cli.Api;

/// <summary>
/// The daemon's HTTP API: kubo's RPC v0 shape (<c>POST /api/v0/…</c>) on a loopback address only, behind
/// <see cref="ApiRequestGuard"/>. Starting it writes a fresh token to <c>&lt;repo&gt;/api.token</c> (0600) and the bound
/// address to <c>&lt;repo&gt;/api</c>; disposing it stops serving and removes both files.
/// </summary>
public sealed class ApiServer : IAsyncDisposable
{
    public const long MaxRequestBodyBytes = 1024 * 1024;
    public const int MaxConnections = 64;
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(3);

    private readonly WebApplication _app;
    private readonly string _repoPath;

    private ApiServer(WebApplication app, string repoPath, IPEndPoint endPoint)
    {
        _app = app;
        _repoPath = repoPath;
        EndPoint = endPoint;
    }

    /// <summary>The bound address (with the real port when 0 was asked for).</summary>
    public IPEndPoint EndPoint { get; }

    public Multiaddress Address => Multiaddress.FromTcpEndPoint(EndPoint);

    /// <exception cref="CliException">the address is not loopback, or cannot be bound.</exception>
    /// <param name="requestShutdown">Stops the daemon; the <c>shutdown</c> command calls it once its reply is sent.</param>
    public static async Task<ApiServer> StartAsync(IPEndPoint endPoint, string repoPath, DioneNode node, ILoggerFactory? loggerFactory, Action requestShutdown, CancellationToken cancellationToken)
    {
        if (!IPAddress.IsLoopback(endPoint.Address))
        {
            throw new CliException($"refusing to serve the API on {endPoint}: only loopback addresses are allowed");
        }
        var token = ApiRepoFiles.WriteToken(repoPath);
        var logger = loggerFactory?.CreateLogger("Dione.Cli.Api");
        var app = Build(endPoint, token, repoPath, node, requestShutdown, logger);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            ApiRepoFiles.Remove(repoPath);
            throw new CliException($"cannot serve the API on {Multiaddress.FromTcpEndPoint(endPoint)}: {e.Message}");
        }
        var server = new ApiServer(app, repoPath, BoundEndPoint(app, endPoint));
        ApiRepoFiles.WriteAddress(repoPath, server.Address);
        if (logger is not null)
        {
            ApiLog.Listening(logger, server.Address.ToString());
        }
        return server;
    }

    private static WebApplication Build(IPEndPoint endPoint, string token, string repoPath, DioneNode node, Action requestShutdown, ILogger? logger)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "dione" });
        builder.Services.AddSingleton<IHostLifetime, NoSignalHostLifetime>();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = StopTimeout);
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            options.Limits.MaxConcurrentConnections = MaxConnections;
            options.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            options.Limits.MaxRequestHeaderCount = 50;
            options.Limits.MaxRequestLineSize = 16 * 1024;
            options.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            options.Listen(endPoint);
        });
        var app = builder.Build();
        app.Use(new ApiRequestGuard(token).InvokeAsync);
        app.Use(new SwarmJoinGate(node.FirstJoin).InvokeAsync);
        app.UseRouting();
        app.Use(NotFoundAsync);
        var routes = new ApiRoutes(app, logger);
        IdEndpoints.Map(routes, node);
        SwarmEndpoints.Map(routes, node);
        PingEndpoint.Map(routes, node);
        DionePerfEndpoint.Map(routes, node);
        ShutdownEndpoint.Map(routes, requestShutdown);
        RoutingLookupEndpoints.Map(routes, node);
        RoutingRecordEndpoints.Map(routes, node);
        DioneContactEndpoints.Map(routes, node);
        DioneSendEndpoint.Map(routes, node);
        DioneInboxEndpoint.Map(routes, node);
        DioneStatusEndpoint.Map(routes, node, repoPath);
        return app;
    }

    /// <summary>No command at that path: kubo's plain-text 404.</summary>
    private static Task NotFoundAsync(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint() is not null)
        {
            return next(context);
        }
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("404 page not found\n", context.RequestAborted);
    }

    private static IPEndPoint BoundEndPoint(WebApplication app, IPEndPoint requested)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var port = addresses.Select(a => Uri.TryCreate(a, UriKind.Absolute, out var uri) ? uri.Port : 0).FirstOrDefault(p => p > 0);
        return new IPEndPoint(requested.Address, port > 0 ? port : requested.Port);
    }

    public async ValueTask DisposeAsync()
    {
        ApiRepoFiles.Remove(_repoPath);
        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
