using Dione.Messaging.Identity;
using Dione.Messenger.Persistence;

namespace Dione.Cli.Tests;

/// <summary>A person's Dione address, once created, never changes: whoever creates it first, every process sees that one.</summary>
public sealed class IdentityRaceTests : IDisposable
{
    private const int Rounds = 50;
    private readonly string _root = Directory.CreateTempSubdirectory("dione-identity-race-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Two_address_commands_racing_on_a_fresh_repo_create_one_identity()
    {
        var template = await ApiTestDaemon.InitRepoAsync(_root, "template");
        for (var round = 0; round < Rounds; round++)
        {
            // A fresh repo each round: the same libp2p key files, no messaging database yet.
            var repo = Path.Combine(_root, $"repo{round}");
            Directory.CreateDirectory(repo);
            foreach (var file in Directory.GetFiles(template))
            {
                File.Copy(file, Path.Combine(repo, Path.GetFileName(file)));
            }

            var results = await Task.WhenAll(
                DioneProcess.RunAsync(null, "address", "--repo", repo),
                DioneProcess.RunAsync(null, "address", "--repo", repo));

            Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Stderr));
            Assert.True(results[0].Stdout == results[1].Stdout, $"round {round}: two identities, {results[0].Stdout.Trim()} and {results[1].Stdout.Trim()}");
            Assert.Equal(await StoredAddressAsync(repo), results[0].Stdout.Trim());
        }
    }

    private static async Task<string> StoredAddressAsync(string repo)
    {
        await using var database = await MessengerDatabase.OpenAsync(Path.Combine(repo, "datastore.db"));
        var (seed, _) = (await database.LoadIdentityAsync())!.Value;
        return DioneAddress.Format(DioneIdentity.FromSeed(seed).PublicKey);
    }
}
