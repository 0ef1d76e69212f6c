using Dione.Cli.Api.Models;
using Dione.Cli.Commands;
using Dione.Kademlia;
using Dione.Kademlia.Dht;
using Dione.Messenger.Node;
using Microsoft.AspNetCore.Http;

namespace Dione.Cli.Api.Endpoints;

/// <summary>
/// <c>/api/v0/routing/findpeer</c> and <c>/api/v0/routing/findprovs</c>: streams of kubo's QueryEvent lines
/// (<c>FinalPeer</c> = 2 with the peer's addresses; <c>Provider</c> = 4 per provider; <c>QueryError</c> = 3 then the
/// <c>X-Stream-Error</c> trailer when the peer is not found).
/// </summary>
public static class RoutingLookupEndpoints
{
    /// <summary>The longest a lookup may run for one request.</summary>
    public static readonly TimeSpan LookupTimeout = TimeSpan.FromMinutes(2);

    public static void Map(ApiRoutes routes, DioneNode node)
    {
        routes.Post("routing/findpeer", context => FindPeerAsync(context, node.Dht));
        routes.Post("routing/findprovs", context => FindProvidersAsync(context, node.Dht));
    }

    private static async Task FindPeerAsync(HttpContext context, KademliaDht dht)
    {
        var target = RoutingKeys.ParsePeer(ApiRequest.Required(context, "peerID"));
        if (target == dht.PeerId)
        {
            throw new ApiException("finding your own node in the DHT is currently not supported");
        }
        using var timeout = Timeout(context);
        var result = await dht.FindPeerAsync(target, cancellationToken: timeout.Token).ConfigureAwait(false);
        var stream = new ApiStream(context);
        if (result.Peer is not { Addresses.Count: > 0 } found)
        {
            await stream.WriteAsync(QueryEvent.Error("routing: not found")).ConfigureAwait(false);
            throw new ApiException("routing: not found");
        }
        await stream.WriteAsync(QueryEvent.FinalPeer(ToAddrInfo(found))).ConfigureAwait(false);
    }

    private static async Task FindProvidersAsync(HttpContext context, KademliaDht dht)
    {
        var key = RoutingKeys.ParseCid(ApiRequest.Required(context, "key"));
        var count = ApiRequest.Integer(context, 20, "num-providers", "n");
        if (count < 1)
        {
            throw new ApiException("number of providers must be greater than 0");
        }
        using var timeout = Timeout(context);
        var stream = new ApiStream(context);
        await foreach (var provider in dht.FindProvidersAsync(key, count, cancellationToken: timeout.Token).ConfigureAwait(false))
        {
            await stream.WriteAsync(QueryEvent.Provider(ToAddrInfo(provider))).ConfigureAwait(false);
        }
        await stream.StartAsync().ConfigureAwait(false);
    }

    public static AddrInfo ToAddrInfo(KadPeer peer) => new(peer.PeerId.ToString(), [.. peer.Addresses.Select(a => a.ToString())]);

    internal static CancellationTokenSource Timeout(HttpContext context)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(LookupTimeout);
        return timeout;
    }
}
