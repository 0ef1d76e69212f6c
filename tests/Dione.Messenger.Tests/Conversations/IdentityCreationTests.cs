using Dione.Messaging.Identity;
using Dione.Messenger.Conversations;
using Dione.Messenger.Persistence;

namespace Dione.Messenger.Tests.Conversations;

/// <summary>Two connections to one database (as two processes have) creating the identity at once keep one identity.</summary>
public sealed class IdentityCreationTests : IDisposable
{
    private const int Rounds = 50;
    private readonly string _root = Directory.CreateTempSubdirectory("dione-identity-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Two_connections_creating_the_identity_at_once_both_get_the_one_stored()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var path = Path.Combine(_root, $"round{round}.db");
            await using var first = await MessengerDatabase.OpenAsync(path);
            await using var second = await MessengerDatabase.OpenAsync(path);

            var created = await Task.WhenAll(
                Task.Run(() => DioneMessenger.EnsureIdentityAsync(first)),
                Task.Run(() => DioneMessenger.EnsureIdentityAsync(second)));
            var (seed, _) = (await first.LoadIdentityAsync())!.Value;

            var stored = DioneAddress.Format(DioneIdentity.FromSeed(seed).PublicKey);
            Assert.True(created.All(key => DioneAddress.Format(key) == stored), $"round {round}: an identity other than the stored one was handed out");
        }
    }
}
