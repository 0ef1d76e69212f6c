using Dione.Cli.Api.Models;
using Dione.Messenger.Node;
using Microsoft.AspNetCore.Http;

namespace Dione.Cli.Api.Endpoints;

/// <summary><c>/api/v0/dione/status</c>: sessions, contacts, pending sends, received messages, what this node stores for others.</summary>
public static class DioneStatusEndpoint
{
    public static void Map(ApiRoutes routes, DioneNode node) =>
        routes.Post("dione/status", context => StatusAsync(context, node));

    private static async Task StatusAsync(HttpContext context, DioneNode node)
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
            status.PrekeysPublished)).ConfigureAwait(false);
    }
}
