using Dione.Cli.Api.Models;
using Dione.Libp2p.Protocols.Perf;
using Dione.Messenger.Node;
using Microsoft.AspNetCore.Http;

namespace Dione.Cli.Api.Endpoints;

/// <summary>
/// <c>/api/v0/dione/perf?arg=PEER&amp;upload-bytes=N&amp;download-bytes=N</c>: one <c>/perf/1.0.0</c> run from the
/// daemon's node, answered as one <see cref="PerfOutput"/>. kubo has no such command, hence Dione's namespace. The
/// peer is an id or a multiaddr ending in <c>/p2p/ID</c> (<see cref="PeerArgument"/>).
/// </summary>
public static class DionePerfEndpoint
{
    public const ulong DefaultBytes = 100UL * 1024 * 1024;

    public static void Map(ApiRoutes routes, DioneNode node) => routes.Post("dione/perf", context => PerfAsync(context, node));

    private static async Task PerfAsync(HttpContext context, DioneNode node)
    {
        var peer = PeerArgument.Parse(ApiRequest.Required(context, "peer"), node);
        if (peer == node.Host.PeerId)
        {
            throw new ApiException("error: can't measure throughput to self");
        }
        var upload = ByteCount(context, "upload-bytes");
        var download = ByteCount(context, "download-bytes");
        await PeerArgument.ConnectAsync(node, peer, context.RequestAborted).ConfigureAwait(false);
        PerfResult result;
        try
        {
            result = await node.Host.Perf.RunAsync(peer, upload, download, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            throw new ApiException($"perf failed: {e.Message}");
        }
        await ApiResponse.WriteAsync(context, PerfOutput.Of(result)).ConfigureAwait(false);
    }

    private static ulong ByteCount(HttpContext context, string name)
    {
        var value = ApiRequest.Long(context, (long)DefaultBytes, name);
        return value >= 0 ? (ulong)value : throw ApiException.Client($"option \"{name}\" must be 0 or more, was {value}");
    }
}
