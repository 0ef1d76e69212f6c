using System.CommandLine;
using Dione.Cli.Api.Endpoints;
using Dione.Cli.Api.Models;
using Dione.Kademlia;
using Dione.Kademlia.Lookup;

namespace Dione.Cli.Commands;

/// <summary>
/// <c>dione routing findpeer|findprovs|provide|get|put</c>: through the repo's running daemon when there is one (and no
/// <c>--bootstrap</c> is given), else from a short-lived DHT node. With <c>--json</c> both print the API's QueryEvent lines.
/// </summary>
public static class RoutingCommand
{
    public static Command Create()
    {
        var command = new Command("routing", "Query and write the DHT");
        command.Add(FindPeer());
        command.Add(FindProviders());
        command.Add(Provide());
        command.Add(Get());
        command.Add(Put());
        return command;
    }

    private static Command FindPeer()
    {
        var peer = new Argument<string>("peer") { Description = "Peer id to look up" };
        var (bootstrap, json, quiet) = Common();
        var command = new Command("findpeer", "Find the addresses of a peer") { peer, bootstrap, json, quiet };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var target = RoutingKeys.ParsePeer(parse.GetValue(peer)!);
            if (await RoutingViaDaemon.TryConnectAsync(parse, bootstrap, cancellationToken) is { } api)
            {
                using (api)
                {
                    return await RoutingViaDaemon.FindPeerAsync(api, target, parse.GetValue(json), cancellationToken);
                }
            }
            await using var node = await ShortLivedDht.StartAsync(parse.GetValue(bootstrap), parse.GetValue(CommonOptions.Repo), cancellationToken);
            var result = await node.Dht.FindPeerAsync(target, Progress(parse, json, quiet), cancellationToken);
            if (result.Peer is null || result.Peer.Addresses.Count == 0)
            {
                throw new CliException($"routing: peer {target} not found");
            }
            var found = RoutingLookupEndpoints.ToAddrInfo(result.Peer);
            RoutingOutput.PrintPeer(QueryEvent.FinalPeer(found), found, parse.GetValue(json));
            return 0;
        });
        return command;
    }

    private static Command FindProviders()
    {
        var cid = new Argument<string>("cid") { Description = "CID whose providers to find" };
        var count = new Option<int>("--num-providers", "-n") { Description = "Stop after this many", DefaultValueFactory = _ => 20 };
        var (bootstrap, json, quiet) = Common();
        var command = new Command("findprovs", "Find peers that provide a CID") { cid, count, bootstrap, json, quiet };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var key = RoutingKeys.ParseCid(parse.GetValue(cid)!);
            if (parse.GetValue(count) < 1)
            {
                throw new CliException("--num-providers must be at least 1");
            }
            if (await RoutingViaDaemon.TryConnectAsync(parse, bootstrap, cancellationToken) is { } api)
            {
                using (api)
                {
                    return await RoutingViaDaemon.FindProvidersAsync(api, parse.GetValue(cid)!, parse.GetValue(count), parse.GetValue(json), cancellationToken);
                }
            }
            await using var node = await ShortLivedDht.StartAsync(parse.GetValue(bootstrap), parse.GetValue(CommonOptions.Repo), cancellationToken);
            await foreach (var provider in node.Dht.FindProvidersAsync(key, parse.GetValue(count), Progress(parse, json, quiet), cancellationToken))
            {
                var found = RoutingLookupEndpoints.ToAddrInfo(provider);
                RoutingOutput.PrintProvider(QueryEvent.Provider(found), found, parse.GetValue(json));
            }
            return 0;
        });
        return command;
    }

    private static Command Provide()
    {
        var cid = new Argument<string>("cid") { Description = "CID to announce" };
        var (bootstrap, json, quiet) = Common();
        var command = new Command("provide", "Announce that this repo's node (at its configured swarm addresses) provides a CID") { cid, bootstrap, json, quiet };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var key = RoutingKeys.ParseCid(parse.GetValue(cid)!);
            if (await RoutingViaDaemon.TryConnectAsync(parse, bootstrap, cancellationToken) is { } api)
            {
                using (api)
                {
                    return await RoutingViaDaemon.ProvideAsync(api, parse.GetValue(cid)!, parse.GetValue(json), cancellationToken);
                }
            }
            await using var node = await ShortLivedDht.StartAsync(parse.GetValue(bootstrap), parse.GetValue(CommonOptions.Repo), cancellationToken, asRepoNode: true);
            var result = await node.Dht.ProvideAsync(key, Progress(parse, json, quiet), cancellationToken);
            return StoreReport.Print(parse.GetValue(json), [.. RoutingRecordEndpoints.StoreEvents(result)], "provider record sent to");
        });
        return command;
    }

    private static Command Get()
    {
        var key = new Argument<string>("key") { Description = "Record key, e.g. /pk/12D3KooW… or /ipns/12D3KooW…" };
        var (bootstrap, json, quiet) = Common();
        var command = new Command("get", "Get a record's value from the DHT") { key, bootstrap, json, quiet };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var bytes = RoutingKeys.ParseRecordKey(parse.GetValue(key)!);
            if (await RoutingViaDaemon.TryConnectAsync(parse, bootstrap, cancellationToken) is { } api)
            {
                using (api)
                {
                    return await RoutingViaDaemon.GetAsync(api, parse.GetValue(key)!, parse.GetValue(json), cancellationToken);
                }
            }
            await using var node = await ShortLivedDht.StartAsync(parse.GetValue(bootstrap), parse.GetValue(CommonOptions.Repo), cancellationToken);
            var result = await node.Dht.GetValueAsync(bytes, Progress(parse, json, quiet), cancellationToken);
            if (result.Value is null)
            {
                throw new CliException($"routing: no valid record for {parse.GetValue(key)}");
            }
            await RoutingOutput.PrintValueAsync(QueryEvent.Value(Convert.ToBase64String(result.Value)), parse.GetValue(json), cancellationToken);
            return 0;
        });
        return command;
    }

    private static Command Put()
    {
        var key = new Argument<string>("key") { Description = "Record key, e.g. /pk/12D3KooW…" };
        var file = new Argument<FileInfo>("file") { Description = "File holding the record's value" };
        var (bootstrap, json, quiet) = Common();
        var command = new Command("put", "Store a record in the DHT (only pk and ipns records are accepted)") { key, file, bootstrap, json, quiet };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var bytes = RoutingKeys.ParseRecordKey(parse.GetValue(key)!);
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                throw new CliException($"no such file: {path.FullName}");
            }
            if (path.Length > RoutingRecordEndpoints.MaxValueBytes)
            {
                throw new CliException($"{path.FullName} is larger than a record may be ({RoutingRecordEndpoints.MaxValueBytes} bytes)");
            }
            var value = await File.ReadAllBytesAsync(path.FullName, cancellationToken);
            if (await RoutingViaDaemon.TryConnectAsync(parse, bootstrap, cancellationToken) is { } api)
            {
                using (api)
                {
                    return await RoutingViaDaemon.PutAsync(api, parse.GetValue(key)!, value, parse.GetValue(json), cancellationToken);
                }
            }
            await using var node = await ShortLivedDht.StartAsync(parse.GetValue(bootstrap), parse.GetValue(CommonOptions.Repo), cancellationToken);
            StoreResult result;
            try
            {
                result = await node.Dht.PutValueAsync(bytes, value, Progress(parse, json, quiet), cancellationToken);
            }
            catch (RecordValidationException e)
            {
                throw new CliException($"record refused: {e.Message}");
            }
            var events = RoutingRecordEndpoints.StoreEvents(result).Append(RoutingRecordEndpoints.PutDone(parse.GetValue(key)!));
            return StoreReport.Print(parse.GetValue(json), [.. events], "record stored on");
        });
        return command;
    }

    private static (Option<string[]> Bootstrap, Option<bool> Json, Option<bool> Quiet) Common() =>
        (DhtOptions.Bootstrap(), CommonOptions.Json(), new Option<bool>("--quiet", "-q") { Description = "Show no progress on stderr" });

    private static LookupProgressPrinter? Progress(ParseResult parse, Option<bool> json, Option<bool> quiet) =>
        parse.GetValue(json) || parse.GetValue(quiet) ? null : new LookupProgressPrinter();
}
