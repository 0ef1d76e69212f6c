using System.CommandLine;
using Dione.Cli.Api.Models;
using Dione.Cli.Keys;
using Dione.Cli.Repo;
using Dione.Libp2p.Identity;
using Dione.Messaging.Identity;
using Dione.Messenger.Conversations;
using Dione.Messenger.Persistence;

namespace Dione.Cli.Commands;

/// <summary>
/// <c>dione key export|import</c>: both identities of a repo (the node's libp2p key and the Dione messaging identity)
/// to and from one passphrase-protected file (<see cref="KeyFile"/>), as <c>ipfs key export|import</c> move kubo's
/// keys. Export reads, so it works beside a running daemon; import writes the repo, so it refuses while one runs, and
/// creates the repo when there is none (as <c>ipfs init</c> does from a config that holds an identity).
/// </summary>
public static class KeyCommand
{
    public const string DefaultOutput = "dione-identity.key";

    /// <summary>Said on export and on import: what the file does not hold, and what contacts must do after a restore.</summary>
    public const string SessionsWarning =
        "Warning: the key file holds your identities only, not your sessions, contacts or messages. A restored identity "
        + "gets new prekeys, and each contact who had a session with you must start over: they remove you and add you "
        + "again ('dione contact rm NAME --force', then 'dione contact add NAME ADDRESS') and write to you again.";

    public static Command Create()
    {
        var command = new Command("key", "Export or import this repo's identities (node and Dione address) in a passphrase-protected file");
        command.Add(Export());
        command.Add(Import());
        return command;
    }

    private static Command Export()
    {
        var output = new Option<string>("--output", "-o") { Description = $"File to write (default: ./{DefaultOutput})", DefaultValueFactory = _ => DefaultOutput };
        var passphraseFile = PassphraseFileOption();
        var force = new Option<bool>("--force", "-f") { Description = "Overwrite the output file if it exists" };
        var export = new Command("export", "Write the node identity and the Dione identity to a file encrypted with a passphrase") { output, passphraseFile, force };
        export.SetAction(async (parse, cancellationToken) =>
        {
            var repo = DioneRepo.Open(DaemonApi.RepoPath(parse));
            var target = parse.GetValue(output)!;
            var overwrite = parse.GetValue(force);
            if (!overwrite && (File.Exists(target) || Directory.Exists(target)))
            {
                throw new CliException($"{target} already exists; pass --force to overwrite it");
            }
            var passphrase = Passphrase.Read(parse.GetValue(passphraseFile), confirm: true);
            var keys = new RepoKeys(repo.Identity, await DioneIdentityOfAsync(repo, cancellationToken));
            PrivateFile.WriteAtomically(target, KeyFile.Seal(keys.ToProtobuf(), passphrase, KdfParameters.Default), overwrite);
            Console.Out.WriteLine($"exported peer identity {keys.PeerId} and Dione address {keys.DioneAddress} to {target}");
            await Console.Error.WriteLineAsync(SessionsWarning);
            return 0;
        });
        return export;
    }

    private static Command Import()
    {
        var file = new Argument<string>("file") { Description = "A file written by 'dione key export'" };
        var passphraseFile = PassphraseFileOption();
        var force = new Option<bool>("--force", "-f") { Description = "Replace a different node or Dione identity in the repo, and delete what belonged to it" };
        var import = new Command("import", "Restore the node identity and the Dione identity from a key file (creating the repo if there is none)") { file, passphraseFile, force };
        import.SetAction(async (parse, cancellationToken) =>
        {
            var encrypted = BoundedFile.Read(parse.GetValue(file)!, KeyFile.MaxLength, "key file");
            var passphrase = Passphrase.Read(parse.GetValue(passphraseFile), confirm: false);
            RepoKeys keys;
            try
            {
                keys = RepoKeys.FromProtobuf(KeyFile.Open(encrypted, passphrase));
            }
            catch (KeyFileException e)
            {
                throw new CliException(e.Message);
            }
            var path = DaemonApi.RepoPath(parse);
            var changed = File.Exists(Path.Combine(path, DioneRepo.ConfigFileName))
                ? await ImportIntoRepoAsync(path, keys, parse.GetValue(force), cancellationToken)
                : await CreateRepoAsync(path, keys, cancellationToken);
            if (!changed)
            {
                Console.Out.WriteLine($"the repo {path} already holds peer identity {keys.PeerId} and Dione address {keys.DioneAddress}; nothing changed");
                return 0;
            }
            Console.Out.WriteLine($"imported peer identity {keys.PeerId} and Dione address {keys.DioneAddress} into {path}");
            await Console.Error.WriteLineAsync(SessionsWarning);
            return 0;
        });
        return import;
    }

    private static Option<string?> PassphraseFileOption() =>
        new("--passphrase-file") { Description = "Read the passphrase from the first line of this file (default: ask at the terminal)" };

    /// <summary>
    /// The Dione identity, created first when there is none yet (as <c>dione address</c> does, so the file always holds
    /// the address the person will be reached at). Beside a daemon, the daemon creates it and the database is only read.
    /// </summary>
    private static async Task<DioneIdentity> DioneIdentityOfAsync(DioneRepo repo, CancellationToken cancellationToken)
    {
        var (repoLock, daemon) = await RepoAccess.LockOrDaemonAsync(repo.Path, cancellationToken);
        using (repoLock)
        using (daemon)
        {
            if (daemon is not null)
            {
                await daemon.PostAsync<DioneAddressOutput>("dione/address", [], cancellationToken: cancellationToken);
            }
            await using var database = await MessengerDatabase.OpenAsync(repo.DatabasePath, cancellationToken: cancellationToken);
            return await OwnIdentityTransfer.ExportAsync(database, cancellationToken: cancellationToken);
        }
    }

    /// <summary>A new repo with the file's identities: the database first, the config last, so a repo exists only once whole.</summary>
    private static async Task<bool> CreateRepoAsync(string path, RepoKeys keys, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(path);
        using var repoLock = await RepoAccess.LockAsync(path, cancellationToken);
        DioneRepo.EnsureAbsent(path);
        await using (var database = await MessengerDatabase.OpenAsync(DioneRepo.DatabasePathIn(path), cancellationToken: cancellationToken))
        {
            await OwnIdentityTransfer.ImportAsync(database, keys.Dione, cancellationToken: cancellationToken);
        }
        DioneRepo.Init(path, keys.Node);
        Console.Out.WriteLine($"initialized dione node at {path}");
        return true;
    }

    /// <summary>
    /// Into an existing repo, under its lock (so never beside a daemon): an identity already there is kept; a different
    /// one is replaced only with <paramref name="force"/>, and what belonged to it is deleted.
    /// </summary>
    private static async Task<bool> ImportIntoRepoAsync(string path, RepoKeys keys, bool force, CancellationToken cancellationToken)
    {
        var (repo, repoLock) = await RepoAccess.OpenForWritingAsync(path, cancellationToken);
        using var held = repoLock;
        await using var database = await MessengerDatabase.OpenAsync(repo.DatabasePath, cancellationToken: cancellationToken);
        var stored = await OwnIdentityTransfer.InspectAsync(database, cancellationToken);
        var oldPeerId = PeerId.FromPublicKey(repo.Identity.PublicKey);
        var sameNode = oldPeerId.Equals(keys.PeerId);
        var sameDione = keys.Dione.PublicKey.Equals(stored.Key);
        var losses = new List<string>();
        if (!sameNode)
        {
            losses.Add($"node identity {oldPeerId} (peers that know this node by its peer id will not find it again)");
        }
        if (!stored.CanTakeWithoutLoss(keys.Dione.PublicKey))
        {
            losses.Add($"Dione identity {stored.Key} with {stored.Contacts} contacts, {stored.Sessions} sessions, "
                + $"{stored.Received} received and {stored.Pending} unsent messages (all deleted)");
        }
        if (losses.Count > 0 && !force)
        {
            throw new CliException($"the repo {path} holds another {string.Join(" and another ", losses)}; "
                + "importing would lose it for good: export it first if you may need it, then pass --force");
        }
        if (!sameDione)
        {
            await OwnIdentityTransfer.ImportAsync(database, keys.Dione, cancellationToken: cancellationToken);
        }
        if (!sameNode)
        {
            repo.ReplaceIdentity(keys.Node);
        }
        return !sameNode || !sameDione;
    }
}
