using System.CommandLine;
using System.Net.Http.Headers;
using Dione.Cli.Api;
using Dione.Cli.Api.Models;
using Dione.Libp2p.Identity;

namespace Dione.Cli.Commands;

/// <summary>
/// The routing commands through the running daemon's API (its DHT, its identity), printing what the short-lived node
/// would print; with <c>--json</c>, the API's QueryEvent lines as they come. Used when a daemon runs on the repo and no
/// <c>--bootstrap</c> was given.
/// </summary>
public static class RoutingViaDaemon
{
    /// <summary>A client for the repo's daemon, or null when the command should start its own node.</summary>
    public static async Task<ApiClient?> TryConnectAsync(ParseResult parse, Option<string[]> bootstrap, CancellationToken cancellationToken) =>
        parse.GetValue(bootstrap) is { Length: > 0 } ? null : await DaemonApi.TryConnectAsync(parse, cancellationToken);

    public static async Task<int> FindPeerAsync(ApiClient api, PeerId target, bool asJson, CancellationToken cancellationToken)
    {
        await foreach (var e in api.StreamAsync<QueryEvent>("routing/findpeer", [target.ToString()], cancellationToken: cancellationToken))
        {
            if (e.Type == QueryEventType.FinalPeer && e.Responses?.FirstOrDefault() is { } found)
            {
                RoutingOutput.PrintPeer(e, found, asJson);
                return 0;
            }
        }
        throw new CliException($"routing: peer {target} not found");
    }

    public static async Task<int> FindProvidersAsync(ApiClient api, string cid, int count, bool asJson, CancellationToken cancellationToken)
    {
        var options = new[] { ("num-providers", count.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        await foreach (var e in api.StreamAsync<QueryEvent>("routing/findprovs", [cid], options, cancellationToken: cancellationToken))
        {
            foreach (var provider in e.Type == QueryEventType.Provider ? e.Responses ?? [] : [])
            {
                RoutingOutput.PrintProvider(e, provider, asJson);
            }
        }
        return 0;
    }

    public static async Task<int> GetAsync(ApiClient api, string key, bool asJson, CancellationToken cancellationToken)
    {
        await foreach (var e in api.StreamAsync<QueryEvent>("routing/get", [key], cancellationToken: cancellationToken))
        {
            if (e.Type != QueryEventType.Value)
            {
                continue;
            }
            await RoutingOutput.PrintValueAsync(e, asJson, cancellationToken);
            return 0;
        }
        throw new CliException($"routing: no valid record for {key}");
    }

    public static Task<int> PutAsync(ApiClient api, string key, byte[] value, bool asJson, CancellationToken cancellationToken)
    {
        var file = new ByteArrayContent(value);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var body = new MultipartFormDataContent { { file, "file", "value" } };
        return StoreAsync(api.StreamAsync<QueryEvent>("routing/put", [key], body: body, cancellationToken: cancellationToken), asJson, "record stored on");
    }

    public static Task<int> ProvideAsync(ApiClient api, string cid, bool asJson, CancellationToken cancellationToken) =>
        StoreAsync(api.StreamAsync<QueryEvent>("routing/provide", [cid], cancellationToken: cancellationToken), asJson, "provider record sent to");

    private static async Task<int> StoreAsync(IAsyncEnumerable<QueryEvent> events, bool asJson, string what)
    {
        var received = new List<QueryEvent>();
        try
        {
            await foreach (var e in events)
            {
                received.Add(e);
            }
        }
        catch (CliException) when (received.Count > 0)
        {
            // The daemon's closing error says no peer took it; the report below says the same, with the counts.
        }
        return StoreReport.Print(asJson, received, what);
    }
}
