using System.Runtime.InteropServices;
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
        routes.Post("version", context => VersionAsync(context, node));
    }

    /// <summary>This node's identity; with an argument, what identify told us about that peer.</summary>
    private static Task IdAsync(HttpContext context, DioneNode node)
    {
        var arguments = ApiRequest.Arguments(context);
        if (arguments.Count == 0 || arguments[0] == node.Host.PeerId.ToString())
        {
            return ApiResponse.WriteAsync(context, Describe(node.Host));
        }
        if (!PeerId.TryParse(arguments[0], out var peer))
        {
            throw new ApiException($"invalid peer id '{arguments[0]}'");
        }
        var info = node.Host.Peers.Get(peer!) ?? throw new ApiException("routing: not found");
        return ApiResponse.WriteAsync(context, Describe(info));
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

    /// <summary>The version the agent string announces ("dione/0.1.0" gives "0.1.0").</summary>
    private static Task VersionAsync(HttpContext context, DioneNode node)
    {
        var version = node.Host.AgentVersion.Split('/')[^1];
        var system = $"{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}/{OperatingSystemName()}";
        return ApiResponse.WriteAsync(context, new VersionOutput(version, "", "", system, RuntimeInformation.FrameworkDescription));
    }

    private static string OperatingSystemName() =>
        OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "darwin" : OperatingSystem.IsWindows() ? "windows" : "unknown";
}
