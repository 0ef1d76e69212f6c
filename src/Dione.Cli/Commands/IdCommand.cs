using System.CommandLine;
using System.Text.Json;
using Dione.Cli.Api.Models;
using Dione.Cli.Repo;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Cli.Commands;

/// <summary>
/// <c>dione id [PEERID]</c>: the node's identity, with <c>--json</c> in the shape of <c>ipfs id</c>; from the running
/// daemon when there is one (its real addresses and protocols), else from the repo. With a peer id, that peer's
/// identity as identify reports it, which only the running daemon can find (as <c>ipfs id PEERID</c>).
/// </summary>
public static class IdCommand
{
    public static Command Create()
    {
        var peer = new Argument<string?>("peer") { Description = "Peer id of another node (asks the running daemon)", Arity = ArgumentArity.ZeroOrOne };
        var json = CommonOptions.Json();
        var command = new Command("id", "Show this node's identity, or another peer's") { peer, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var info = parse.GetValue(peer) is { } other
                ? await OfPeerAsync(parse, other, cancellationToken)
                : await FromDaemonAsync(parse, cancellationToken) ?? NodeIdentity.Describe(DioneRepo.Open(DaemonApi.RepoPath(parse)));
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

    /// <exception cref="CliException">the text is no peer id, no daemon runs, or the daemon cannot find the peer.</exception>
    private static async Task<NodeIdentity> OfPeerAsync(ParseResult parse, string text, CancellationToken cancellationToken)
    {
        if (!PeerId.TryParse(text, out _))
        {
            throw new CliException($"invalid peer id '{text}'");
        }
        using var api = await DaemonApi.ConnectAsync(parse, cancellationToken);
        return Of(await api.PostAsync<IdOutput>("id", [text], cancellationToken: cancellationToken));
    }

    private static async Task<NodeIdentity?> FromDaemonAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var api = await DaemonApi.TryConnectAsync(parse, cancellationToken);
        if (api is null)
        {
            return null;
        }
        return Of(await api.PostAsync<IdOutput>("id", [], cancellationToken: cancellationToken));
    }

    private static NodeIdentity Of(IdOutput reply) =>
        new(reply.ID, reply.PublicKey, [.. reply.Addresses ?? []], reply.AgentVersion, [.. reply.Protocols ?? []]);
}
