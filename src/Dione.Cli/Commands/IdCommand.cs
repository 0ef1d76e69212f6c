using System.CommandLine;
using System.Text.Json;
using Dione.Cli.Api.Models;
using Dione.Cli.Repo;
using Dione.Libp2p.Host;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Cli.Commands;

/// <summary>
/// <c>dione id</c>: the node's identity, with <c>--json</c> in the shape of <c>ipfs id</c>; from the running daemon
/// when there is one (its real addresses and protocols), else from the repo.
/// </summary>
public static class IdCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var command = new Command("id", "Show this node's identity") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var repo = DioneRepo.Open(DioneRepo.ResolvePath(parse.GetValue(CommonOptions.Repo)));
            var info = await FromDaemonAsync(parse, cancellationToken) ?? NodeIdentity.Describe(repo);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(info, NodeIdentity.JsonOptions));
                return 0;
            }
            Console.Out.WriteLine($"ID:           {info.ID}");
            Console.Out.WriteLine($"PublicKey:    {info.PublicKey}");
            Console.Out.WriteLine($"AgentVersion: {info.AgentVersion}");
            Console.Out.WriteLine("Addresses:");
            foreach (var address in info.Addresses)
            {
                Console.Out.WriteLine($"  {address}");
            }
            Console.Out.WriteLine("Protocols:");
            foreach (var protocol in info.Protocols)
            {
                Console.Out.WriteLine($"  {protocol}");
            }
            return 0;
        });
        return command;
    }

    private static async Task<NodeIdentity?> FromDaemonAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var api = await DaemonApi.TryConnectAsync(parse, cancellationToken);
        if (api is null)
        {
            return null;
        }
        var reply = await api.PostAsync<IdOutput>("id", [], cancellationToken: cancellationToken);
        return new NodeIdentity(reply.ID, reply.PublicKey, [.. reply.Addresses ?? []], reply.AgentVersion, [.. reply.Protocols ?? []]);
    }
}
