using Dione.Cli.Api.Models;
using Dione.Messenger.Node;
using Microsoft.AspNetCore.Http;

namespace Dione.Cli.Api.Endpoints;

/// <summary>
/// <c>/api/v0/ping?arg=PEER&amp;count=N</c>: kubo's stream of <c>{"Success","Time","Text"}</c> lines
/// (<see cref="PingSequence"/>), after "Looking up peer ID" when the peer had to be found in the DHT first. The peer is
/// an id or a multiaddr ending in <c>/p2p/ID</c> (<see cref="PeerArgument"/>).
/// </summary>
public static class PingEndpoint
{
    public static void Map(ApiRoutes routes, DioneNode node) => routes.Post("ping", context => PingAsync(context, node));

    private static async Task PingAsync(HttpContext context, DioneNode node)
    {
        var peer = PeerArgument.Parse(ApiRequest.Required(context, "peer ID"), node);
        if (peer == node.Host.PeerId)
        {
            throw new ApiException("error: can't ping self");
        }
        var count = ApiRequest.Integer(context, 10, "count", "n");
        if (count <= 0)
        {
            throw new ApiException($"ping count must be greater than 0, was {count}");
        }
        var stream = new ApiStream(context);
        if (!PeerArgument.IsKnown(node, peer))
        {
            await stream.WriteAsync(new PingResult(true, 0, $"Looking up peer {peer}")).ConfigureAwait(false);
            await PeerArgument.LookUpAsync(node, peer, context.RequestAborted).ConfigureAwait(false);
        }
        var roundTrips = 0;
        await foreach (var result in PingSequence.RunAsync(node.Host, peer, count, context.RequestAborted).ConfigureAwait(false))
        {
            roundTrips += PingSequence.IsRoundTrip(result) ? 1 : 0;
            await stream.WriteAsync(result).ConfigureAwait(false);
        }
        if (roundTrips == 0)
        {
            throw new ApiException("ping failed");
        }
    }
}
