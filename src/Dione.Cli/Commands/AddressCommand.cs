using System.CommandLine;
using System.Text.Json;
using Dione.Cli.Api;
using Dione.Cli.Api.Models;
using Dione.Cli.Repo;
using Dione.Messaging.Identity;
using Dione.Messenger.Conversations;
using Dione.Messenger.Persistence;

namespace Dione.Cli.Commands;

/// <summary>
/// <c>dione address</c>: the shareable Dione address of the repo's messaging identity, from the running daemon, or
/// from the repo's database under the repo lock when no daemon runs (creating the identity the first time, as the
/// daemon would).
/// </summary>
public static class AddressCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var command = new Command("address", "Print your Dione address, to give to the people who will message you") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var repo = DioneRepo.Open(DaemonApi.RepoPath(parse));
            string address;
            var (repoLock, daemon) = await RepoAccess.LockOrDaemonAsync(repo.Path, cancellationToken);
            using (repoLock)
            using (daemon)
            {
                address = daemon is not null
                    ? (await daemon.PostAsync<DioneAddressOutput>("dione/address", [], cancellationToken: cancellationToken)).Address
                    : await FromRepoAsync(repo, cancellationToken);
            }
            Console.Out.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(new { Address = address }, ApiJson.CliOptions) : address);
            return 0;
        });
        return command;
    }

    private static async Task<string> FromRepoAsync(DioneRepo repo, CancellationToken cancellationToken)
    {
        await using var database = await MessengerDatabase.OpenAsync(repo.DatabasePath, cancellationToken: cancellationToken);
        return DioneAddress.Format(await DioneMessenger.EnsureIdentityAsync(database, cancellationToken: cancellationToken));
    }
}
