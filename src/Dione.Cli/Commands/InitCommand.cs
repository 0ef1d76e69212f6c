using System.CommandLine;
using Dione.Cli.Repo;
using Dione.Libp2p.Identity;

namespace Dione.Cli.Commands;

/// <summary><c>dione init</c>: creates a repo with a new identity, as <c>ipfs init</c> does, under the repo lock.</summary>
public static class InitCommand
{
    public static Command Create()
    {
        var keyType = new Option<string>("--key-type", "-a")
        {
            Description = "Identity key type: ed25519, secp256k1, ecdsa or rsa",
            DefaultValueFactory = _ => "ed25519",
        };
        keyType.AcceptOnlyFromAmong("ed25519", "secp256k1", "ecdsa", "rsa");
        var command = new Command("init", "Create a repo with a new identity") { keyType };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var type = ParseKeyType(parse.GetValue(keyType)!);
            var path = DioneRepo.ResolvePath(parse.GetValue(CommonOptions.Repo));
            DioneRepo.EnsureAbsent(path);
            Directory.CreateDirectory(path);
            // Two inits at once: the second waits for the lock, then finds the repo there and refuses (Init checks again).
            using var repoLock = await RepoAccess.LockAsync(path, cancellationToken);
            Console.Out.Write($"generating {type.ToString().ToUpperInvariant()} keypair...");
            var repo = DioneRepo.Init(path, type);
            Console.Out.WriteLine("done");
            Console.Out.WriteLine($"peer identity: {repo.Config.Identity.PeerId}");
            Console.Out.WriteLine($"initialized dione node at {path}");
            return 0;
        });
        return command;
    }

    private static KeyType ParseKeyType(string text) => text switch
    {
        "ed25519" => KeyType.Ed25519,
        "secp256k1" => KeyType.Secp256k1,
        "ecdsa" => KeyType.Ecdsa,
        "rsa" => KeyType.Rsa,
        _ => throw new CliException($"unknown key type '{text}'"),
    };
}
