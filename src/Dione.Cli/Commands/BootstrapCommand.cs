using System.CommandLine;
using System.Text.Json;
using Dione.Cli.Api;
using Dione.Cli.Repo;
using Dione.Kademlia.Bootstrap;
using Dione.Libp2p.Multiformats.Multiaddr;

namespace Dione.Cli.Commands;

/// <summary>
/// <c>dione bootstrap list|add|rm</c>: the repo's bootstrap peers, as <c>ipfs bootstrap</c> manages them; a change is
/// written under the repo lock, so not while a daemon runs on the repo.
/// </summary>
public static class BootstrapCommand
{
    public static Command Create()
    {
        var command = new Command("bootstrap", "Show or edit the list of bootstrap peers");
        command.Add(List());
        command.Add(Add());
        command.Add(Remove());
        return command;
    }

    private static Command List()
    {
        var json = CommonOptions.Json();
        var list = new Command("list", "Show the bootstrap peers") { json };
        list.SetAction(parse =>
        {
            var repo = DioneRepo.Open(RepoPath(parse));
            Print(repo.Config.Bootstrap, parse.GetValue(json));
            return 0;
        });
        return list;
    }

    private static Command Add()
    {
        var peers = new Argument<string[]>("peer") { Description = "Multiaddrs ending in /p2p/ID", Arity = ArgumentArity.ZeroOrMore };
        var defaults = new Option<bool>("--default") { Description = "Add kubo's default bootstrap peers" };
        var json = CommonOptions.Json();
        var add = new Command("add", "Add bootstrap peers") { peers, defaults, json };
        add.SetAction(async (parse, cancellationToken) =>
        {
            var wanted = (parse.GetValue(peers) ?? []).Select(Validate).ToList();
            if (parse.GetValue(defaults))
            {
                wanted.AddRange(BootstrapPeers.DefaultText);
            }
            if (wanted.Count == 0)
            {
                throw new CliException("no peer given: name multiaddrs or pass --default");
            }
            var (repo, repoLock) = await RepoAccess.OpenForWritingAsync(RepoPath(parse), cancellationToken);
            using var held = repoLock;
            var added = wanted.Where(p => !repo.Config.Bootstrap.Contains(p)).Distinct().ToList();
            repo.Config.Bootstrap.AddRange(added);
            repo.SaveConfig();
            Print(added, parse.GetValue(json), "added ");
            return 0;
        });
        return add;
    }

    private static Command Remove()
    {
        var peers = new Argument<string[]>("peer") { Description = "Multiaddrs to remove", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Remove every bootstrap peer" };
        var json = CommonOptions.Json();
        var remove = new Command("rm", "Remove bootstrap peers") { peers, all, json };
        remove.SetAction(async (parse, cancellationToken) =>
        {
            var given = parse.GetValue(peers) ?? [];
            if (given.Length == 0 && !parse.GetValue(all))
            {
                throw new CliException("no peer given: name multiaddrs or pass --all");
            }
            var (repo, repoLock) = await RepoAccess.OpenForWritingAsync(RepoPath(parse), cancellationToken);
            using var held = repoLock;
            var removed = parse.GetValue(all) ? [.. repo.Config.Bootstrap] : repo.Config.Bootstrap.Where(given.Contains).ToList();
            repo.Config.Bootstrap.RemoveAll(removed.Contains);
            repo.SaveConfig();
            Print(removed, parse.GetValue(json), "removed ");
            return 0;
        });
        return remove;
    }

    private static string RepoPath(ParseResult parse) => DioneRepo.ResolvePath(parse.GetValue(CommonOptions.Repo));

    private static string Validate(string text)
    {
        if (!Multiaddress.TryParse(text, out var address) || address!.PeerId is null)
        {
            throw new CliException($"invalid bootstrap peer '{text}': expected a multiaddr ending in /p2p/ID");
        }
        return address.ToString();
    }

    private static void Print(IReadOnlyList<string> peers, bool asJson, string prefix = "")
    {
        if (asJson)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new { Peers = peers }, ApiJson.CliOptions));
            return;
        }
        foreach (var peer in peers)
        {
            Console.Out.WriteLine(prefix + peer);
        }
    }
}
