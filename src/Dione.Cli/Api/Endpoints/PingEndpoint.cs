using System.Globalization;
using Dione.Cli.Api.Models;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Dione.Messenger.Node;
using Microsoft.AspNetCore.Http;

namespace Dione.Cli.Api.Endpoints;

/// <summary>
/// <c>/api/v0/ping?arg=PEER&amp;count=N</c>: kubo's stream of <c>{"Success","Time","Text"}</c> lines ("PING ID.", one
/// per round trip with <c>Time</c> in nanoseconds, then "Average latency: …ms"). The peer is an id (looked up in the
/// DHT when no address is known) or a multiaddr ending in <c>/p2p/ID</c>.
/// </summary>
public static class PingEndpoint
{
    public static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(10);

    public static void Map(ApiRoutes routes, DioneNode node) => routes.Post("ping", context => PingAsync(context, node));

    private static async Task PingAsync(HttpContext context, DioneNode node)
    {
        var text = ApiRequest.Required(context, "peer ID");
        var peer = ParsePeer(text, node);
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
        if (node.Host.FindConnection(peer) is null && node.Host.Peers.Get(peer)?.Addresses is not { Count: > 0 })
        {
            await stream.WriteAsync(new PingResult(true, 0, $"Looking up peer {peer}")).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(LookupTimeout);
            var found = await node.Dht.FindPeerAsync(peer, cancellationToken: timeout.Token).ConfigureAwait(false);
            if (found.Peer is not { Addresses.Count: > 0 })
            {
                throw new ApiException("peer lookup failed: routing: not found");
            }
        }
        await stream.WriteAsync(new PingResult(true, 0, $"PING {peer}.")).ConfigureAwait(false);
        var times = new List<TimeSpan>();
        try
        {
            await foreach (var rtt in node.Host.Ping.PingAsync(peer, count, context.RequestAborted).ConfigureAwait(false))
            {
                times.Add(rtt);
                await stream.WriteAsync(new PingResult(true, GoDuration.ToNanoseconds(rtt), "")).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            await stream.WriteAsync(new PingResult(false, 0, $"Ping error: {e.Message}")).ConfigureAwait(false);
        }
        if (times.Count == 0)
        {
            throw new ApiException("ping failed");
        }
        var average = times.Average(t => t.TotalMilliseconds);
        await stream.WriteAsync(new PingResult(true, 0, string.Create(CultureInfo.InvariantCulture, $"Average latency: {average:0.00}ms"))).ConfigureAwait(false);
    }

    private static PeerId ParsePeer(string text, DioneNode node)
    {
        if (text.StartsWith('/'))
        {
            if (!Multiaddress.TryParse(text, out var address) || address!.PeerId is not { } inAddress)
            {
                throw new ApiException($"failed to parse peer address '{text}': expected a peer id or a multiaddr ending in /p2p/ID");
            }
            if (address.WithoutPeerId().Components.Count > 0)
            {
                node.Host.Peers.AddAddresses(inAddress, [address.WithoutPeerId()]);
            }
            return inAddress;
        }
        return PeerId.TryParse(text, out var peer) ? peer! : throw new ApiException($"failed to parse peer address '{text}': not a peer id");
    }
}
