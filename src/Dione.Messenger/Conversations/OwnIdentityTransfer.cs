using System.Security.Cryptography;
using Dione.Messaging.Identity;
using Dione.Messenger.Persistence;

namespace Dione.Messenger.Conversations;

/// <summary>
/// Moves this person's Dione identity out of a repo and into another (<c>dione key export|import</c>). Only the
/// identity moves: prekeys are made afresh where it arrives (the old one-time prekeys, spent or not, stay behind), and
/// sessions and contacts never move, so a contact who had a session starts over with the restored identity.
/// </summary>
public static class OwnIdentityTransfer
{
    /// <summary>The stored identity, created first when there is none yet, as <c>dione address</c> does.</summary>
    public static async Task<DioneIdentity> ExportAsync(
        MessengerDatabase database, MessengerOptions? options = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        var keys = await OwnKeys.LoadOrCreateAsync(database, options ?? new MessengerOptions(), time ?? TimeProvider.System, cancellationToken).ConfigureAwait(false);
        return keys.Identity;
    }

    /// <summary>The stored identity, if any, and what belongs to it.</summary>
    public static async Task<StoredIdentity> InspectAsync(MessengerDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (await database.LoadIdentityAsync(cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return new StoredIdentity(null, 0, 0, 0, 0);
        }
        var contacts = await database.ContactsAsync(cancellationToken).ConfigureAwait(false);
        var (pending, received, sessions) = await database.CountsAsync(cancellationToken).ConfigureAwait(false);
        return new StoredIdentity(DioneIdentity.FromSeed(stored.Identity).PublicKey, contacts.Count, sessions, received, pending);
    }

    /// <summary>
    /// Makes <paramref name="identity"/> the stored one with new prekeys, deleting whatever belonged to an identity stored
    /// before (<see cref="MessengerDatabase.ReplaceIdentityAsync"/>). When <paramref name="identity"/> is already the
    /// stored one, nothing changes: its prekeys, contacts and sessions stay. Run it with no messenger on the database.
    /// </summary>
    public static async Task ImportAsync(
        MessengerDatabase database, DioneIdentity identity, MessengerOptions? options = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(identity);
        if (identity.PublicKey.Equals((await InspectAsync(database, cancellationToken).ConfigureAwait(false)).Key))
        {
            return;
        }
        var prekeys = OwnKeys.NewPrekeys(identity, options ?? new MessengerOptions(), time ?? TimeProvider.System);
        var seed = identity.ExportSeed();
        try
        {
            await database.ReplaceIdentityAsync(seed, prekeys.ToBytes(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }
}
