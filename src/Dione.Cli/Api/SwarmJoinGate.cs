using Microsoft.AspNetCore.Http;

namespace Dione.Cli.Api;

/// <summary>
/// Holds a request that needs the swarm until the daemon's first join has ended (<c>DioneNode.FirstJoin</c>), for at
/// most <see cref="MaxWait"/>. The API answers as soon as the daemon starts, before it has met its bootstrap peers and
/// published its prekeys; without this, commands run right after <c>dione daemon &amp;</c> (as a pasted script does)
/// would find no peer to provide to or to ping, or hand out a Dione address whose prekeys nobody can fetch yet. Requests that
/// read only local state (id, status, contacts, inbox) are never held.
/// </summary>
public sealed class SwarmJoinGate(Task firstJoin)
{
    /// <summary>A join that has not ended by then (bootstrap peers unreachable) lets the request go on as it is.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private static readonly string[] SwarmPaths = ["/api/v0/dione/address", "/api/v0/dione/send", "/api/v0/routing/", "/api/v0/ping", "/api/v0/dione/perf"];

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!firstJoin.IsCompleted && NeedsSwarm(context.Request.Path))
        {
            try
            {
                await firstJoin.WaitAsync(MaxWait, context.RequestAborted).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }
        await next(context).ConfigureAwait(false);
    }

    private static bool NeedsSwarm(PathString path) =>
        path.Value is { } value && SwarmPaths.Any(p => p.EndsWith('/') ? value.StartsWith(p, StringComparison.Ordinal) : value == p);
}
