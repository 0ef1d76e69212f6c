using Dione.Cli.Api.Models;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Messenger.Node;
using Microsoft.AspNetCore.Http;

namespace Dione.Cli.Api.Endpoints;

/// <summary><c>/api/v0/id</c> and <c>/api/v0/version</c>.</summary>
public static class IdEndpoints
{
    public static void Map(ApiRoutes routes, DioneNode node)
    {
        routes.Post("id", context => IdAsync(context, node));
        routes.Post("version", VersionAsync);
    }

    /// <summary>
    /// This node's identity; with an argument, the peer's as identify tells it (kubo: the peer is looked up and
    /// connected to first when needed).
    /// </summary>
    private static async Task IdAsync(HttpContext context, DioneNode node)
    {
        var arguments = ApiRequest.Arguments(context);
        if (arguments.Count == 0 || arguments[0] == node.Host.PeerId.ToString())
        {
            await ApiResponse.WriteAsync(context, Describe(node.Host)).ConfigureAwait(false);
            return;
        }
        if (!PeerId.TryParse(arguments[0], out var peer))
        {
            throw new ApiException($"invalid peer id '{arguments[0]}'");
        }
        var connection = await PeerArgument.ConnectAsync(node, peer!, context.RequestAborted).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(PeerArgument.ConnectTimeout);
        PeerInfo info;
        try
        {
            info = await node.Host.Identify.IdentifyAsync(connection, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            throw new ApiException($"could not identify {peer}: {e.Message}");
        }
        await ApiResponse.WriteAsync(context, Describe(info)).ConfigureAwait(false);
    }

    public static IdOutput Describe(Libp2pHost host) => new(
        host.PeerId.ToString(),
        Convert.ToBase64String(host.Identity.PublicKey.ToProtobuf()),
        [.. host.Identify.AdvertisedAddresses().Select(a => a.WithPeerId(host.PeerId).ToString()).Order(StringComparer.Ordinal)],
        host.AgentVersion,
        host.Protocols);

    public static IdOutput Describe(PeerInfo info) => new(
        info.PeerId.ToString(),
        info.PublicKey is null ? "" : Convert.ToBase64String(info.PublicKey.ToProtobuf()),
        [.. info.Addresses.Select(a => a.WithPeerId(info.PeerId).ToString()).Order(StringComparer.Ordinal)],
        info.AgentVersion ?? "",
        [.. info.Protocols.Order(StringComparer.Ordinal)]);

    private static Task VersionAsync(HttpContext context) => ApiResponse.WriteAsync(context, VersionOutput.OfThisBuild());
}
