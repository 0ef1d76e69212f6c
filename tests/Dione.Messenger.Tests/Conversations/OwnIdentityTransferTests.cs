using Dione.Messaging.Identity;
using Dione.Messaging.X3dh;
using Dione.Messenger.Conversations;
using Dione.Messenger.Persistence;

namespace Dione.Messenger.Tests.Conversations;

/// <summary>
/// An identity restored from a backup (<c>dione key import</c>): stored with new prekeys, and nothing of an identity it
/// replaces (contacts, sessions, messages, prekey publication bookkeeping) survives beside it.
/// </summary>
public sealed class OwnIdentityTransferTests
{
    [Fact]
    public async Task Importing_another_identity_deletes_what_belonged_to_the_one_it_replaces_and_makes_new_prekeys()
    {
        await using var database = await MessengerDatabase.OpenAsync(":memory:");
        var replaced = await OwnIdentityTransfer.ExportAsync(database);
        var (_, oldPrekeys) = (await database.LoadIdentityAsync())!.Value;
        await database.AddContactAsync("bob", DioneIdentity.Generate().PublicKey.Ed25519PublicKey.ToArray());
        await database.SaveSessionAsync("bob", [1, 2, 3]);
        await database.SavePrekeyDeletionTokenAsync([7], [8], DateTimeOffset.UtcNow.AddDays(1));
        await database.SetMetaAsync("prekeys.published", BitConverter.GetBytes(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        var restored = DioneIdentity.Generate();

        var before = await OwnIdentityTransfer.InspectAsync(database);
        await OwnIdentityTransfer.ImportAsync(database, restored);
        var after = await OwnIdentityTransfer.InspectAsync(database);
        var (seed, prekeys) = (await database.LoadIdentityAsync())!.Value;

        Assert.Equal(new StoredIdentity(replaced.PublicKey, 1, 1, 0, 0), before);
        Assert.False(before.CanTakeWithoutLoss(restored.PublicKey));
        Assert.Equal(new StoredIdentity(restored.PublicKey, 0, 0, 0, 0), after);
        Assert.Equal(restored.ExportSeed(), seed);
        Assert.NotEqual(oldPrekeys, prekeys);
        Assert.True(PrekeyStore.FromBytes(prekeys).OneTimePrekeyCount > 0);
        Assert.Null(await database.PrekeyDeletionTokenAsync([7]));
        Assert.Null(await database.GetMetaAsync("prekeys.published"));
        Assert.Equal(restored.PublicKey, await DioneMessenger.EnsureIdentityAsync(database));
    }

    [Fact]
    public async Task Importing_the_identity_already_stored_keeps_its_prekeys_contacts_and_sessions()
    {
        await using var database = await MessengerDatabase.OpenAsync(":memory:");
        var identity = await OwnIdentityTransfer.ExportAsync(database);
        await database.AddContactAsync("bob", DioneIdentity.Generate().PublicKey.Ed25519PublicKey.ToArray());
        await database.SaveSessionAsync("bob", [1, 2, 3]);
        var stored = (await database.LoadIdentityAsync())!.Value;

        await OwnIdentityTransfer.ImportAsync(database, DioneIdentity.FromSeed(identity.ExportSeed()));

        Assert.Equal(stored.Prekeys, (await database.LoadIdentityAsync())!.Value.Prekeys);
        Assert.Equal(new StoredIdentity(identity.PublicKey, 1, 1, 0, 0), await OwnIdentityTransfer.InspectAsync(database));
        Assert.True((await OwnIdentityTransfer.InspectAsync(database)).CanTakeWithoutLoss(identity.PublicKey));
    }

    [Fact]
    public async Task An_empty_database_takes_an_identity_without_loss()
    {
        await using var database = await MessengerDatabase.OpenAsync(":memory:");
        var identity = DioneIdentity.Generate();

        var empty = await OwnIdentityTransfer.InspectAsync(database);
        await OwnIdentityTransfer.ImportAsync(database, identity);

        Assert.True(empty.CanTakeWithoutLoss(identity.PublicKey));
        Assert.Equal(identity.PublicKey, await DioneMessenger.EnsureIdentityAsync(database));
    }
}
