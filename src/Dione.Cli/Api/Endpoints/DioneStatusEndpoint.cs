using Dione.Cli.Api.Models;
using Dione.Messenger.Node;
using Microsoft.AspNetCore.Http;

namespace Dione.Cli.Api.Endpoints;

/// <summary>
/// <c>/api/v0/dione/status</c>: sessions, contacts, pending sends, received messages, what this node stores for
/// others, how it is connected (DHT mode, bootstrap and overlay peers) and what is wrong with that.
/// </summary>
public static class DioneStatusEndpoint
{
    /// <param name="repoPath">The daemon's repo, named in the warnings' advice.</param>
    public static void Map(ApiRoutes routes, DioneNode node, string repoPath) =>
        routes.Post("dione/status", context => StatusAsync(context, node, repoPath));

    private static async Task StatusAsync(HttpContext context, DioneNode node, string repoPath)
    {
        var status = await node.Messenger.StatusAsync(context.RequestAborted).ConfigureAwait(false);
        var store = node.Mailbox.Store;
        await ApiResponse.WriteAsync(context, new DioneStatusOutput(
            status.Address,
            status.Contacts,
            status.Sessions,
            status.PendingSends,
            status.Received,
            store.Count,
            store.Bytes,
            node.Mailbox.Overlay.Dht.RoutingTable.Count,
            status.PrekeysPublished,
            DaemonHealth.ConfiguredMode(node),
            DaemonHealth.CurrentMode(node),
            node.Options.BootstrapPeers.Count,
            DaemonHealth.Warnings(node, repoPath))).ConfigureAwait(false);
    }
}
