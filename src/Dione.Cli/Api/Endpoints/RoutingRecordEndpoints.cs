using Dione.Cli.Api.Models;
using Dione.Cli.Commands;
using Dione.Kademlia;
using Dione.Kademlia.Dht;
using Dione.Kademlia.Lookup;
using Dione.Libp2p.Identity;
using Dione.Messenger.Node;
using Microsoft.AspNetCore.Http;

namespace Dione.Cli.Api.Endpoints;

/// <summary>
/// <c>/api/v0/routing/get|put|provide</c>. get streams one <c>Value</c> (5) event with the value in base64 in
/// <c>Extra</c>; put and provide stream a <c>FinalPeer</c> (2) event naming each peer that took the record and a
/// <c>QueryError</c> (3) naming each that did not; put ends with kubo's <c>Value</c> event naming the key's peer.
/// </summary>
public static class RoutingRecordEndpoints
{
    /// <summary>The largest record value put accepts (IPNS records are at most 10 KiB).</summary>
    public const int MaxValueBytes = 64 * 1024;

    public static void Map(ApiRoutes routes, DioneNode node)
    {
        routes.Post("routing/get", context => GetAsync(context, node.Dht));
        routes.Post("routing/put", context => PutAsync(context, node.Dht));
        routes.Post("routing/provide", context => ProvideAsync(context, node));
    }

    private static async Task GetAsync(HttpContext context, KademliaDht dht)
    {
        var key = RoutingKeys.ParseRecordKey(ApiRequest.Required(context, "key"));
        using var timeout = RoutingLookupEndpoints.Timeout(context);
        var result = await dht.GetValueAsync(key, cancellationToken: timeout.Token).ConfigureAwait(false);
        if (result.Value is null)
        {
            throw new ApiException("routing: not found");
        }
        await new ApiStream(context).WriteAsync(QueryEvent.Value(Convert.ToBase64String(result.Value))).ConfigureAwait(false);
    }

    private static async Task PutAsync(HttpContext context, KademliaDht dht)
    {
        var text = ApiRequest.Required(context, "key");
        var key = RoutingKeys.ParseRecordKey(text);
        var value = await MultipartValue.ReadAsync(context, "value-file", MaxValueBytes).ConfigureAwait(false);
        using var timeout = RoutingLookupEndpoints.Timeout(context);
        StoreResult result;
        try
        {
            result = await dht.PutValueAsync(key, value, cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (RecordValidationException e)
        {
            throw new ApiException($"record refused: {e.Message}");
        }
        var stream = new ApiStream(context);
        await WriteStoreAsync(stream, result).ConfigureAwait(false);
        await stream.WriteAsync(PutDone(text)).ConfigureAwait(false);
        ThrowIfNoneStored(result, "record");
    }

    private static async Task ProvideAsync(HttpContext context, DioneNode node)
    {
        ApiRequest.Required(context, "key");
        var keys = ApiRequest.Arguments(context).Select(RoutingKeys.ParseCid).ToList();
        if (node.Host.Connections.Count == 0)
        {
            throw new ApiException("cannot provide, no connected peers");
        }
        var stream = new ApiStream(context);
        foreach (var key in keys)
        {
            using var timeout = RoutingLookupEndpoints.Timeout(context);
            var result = await node.Dht.ProvideAsync(key, cancellationToken: timeout.Token).ConfigureAwait(false);
            await WriteStoreAsync(stream, result).ConfigureAwait(false);
            ThrowIfNoneStored(result, "provider record");
        }
        await stream.StartAsync().ConfigureAwait(false);
    }

    private static async Task WriteStoreAsync(ApiStream stream, StoreResult result)
    {
        foreach (var e in StoreEvents(result))
        {
            await stream.WriteAsync(e).ConfigureAwait(false);
        }
    }

    /// <summary>A <c>FinalPeer</c> event for each peer that took the record, a <c>QueryError</c> for each that did not.</summary>
    public static IEnumerable<QueryEvent> StoreEvents(StoreResult result) =>
        result.Stored.Select(peer => QueryEvent.FinalPeer(peer.ToString()))
            .Concat(result.Failed.Select(peer => QueryEvent.Error("failed to store the record", peer.ToString())));

    /// <summary>kubo's last event of a put: <c>Value</c>, naming the key's peer when the key is <c>/pk/ID</c> or <c>/ipns/ID</c>.</summary>
    public static QueryEvent PutDone(string key) =>
        QueryEvent.Value("", key.Split('/') is [_, _, var name] && PeerId.TryParse(name, out var peer) ? peer!.ToString() : "");

    private static void ThrowIfNoneStored(StoreResult result, string what)
    {
        if (result.Stored.Count == 0)
        {
            throw new ApiException($"no peer accepted the {what}");
        }
    }
}
