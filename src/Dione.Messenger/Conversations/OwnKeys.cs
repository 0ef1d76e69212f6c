using Dione.Messaging.Identity;
using Dione.Messaging.X3dh;
using Dione.Messenger.Persistence;

namespace Dione.Messenger.Conversations;

/// <summary>
/// This person's own keys: the identity and the prekey store, which accepted intros consume one-time prekeys from and
/// the publisher rotates and tops up.
/// </summary>
/// <remarks>Changed only while the messenger's session gate is held.</remarks>
internal sealed class OwnKeys
{
    private OwnKeys(DioneIdentity identity, PrekeyStore prekeys)
    {
        Identity = identity;
        Prekeys = prekeys;
    }

    public DioneIdentity Identity { get; }

    public IdentityKey PublicKey => Identity.PublicKey;

    public PrekeyStore Prekeys { get; set; }

    /// <summary>True when an accepted intro used up a one-time prekey since the last publication.</summary>
    public bool PrekeysChanged { get; set; }

    /// <summary>The keys stored in <paramref name="database"/>, creating and saving them the first time.</summary>
    public static async Task<OwnKeys> LoadOrCreateAsync(MessengerDatabase database, MessengerOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await database.LoadIdentityAsync(cancellationToken).ConfigureAwait(false) is var (seed, stored))
        {
            return new OwnKeys(DioneIdentity.FromSeed(seed), PrekeyStore.FromBytes(stored));
        }
        var identity = DioneIdentity.Generate();
        var prekeys = PrekeyStore.Create(identity, time.GetUtcNow());
        prekeys.GenerateOneTimePrekeys(identity, options.OneTimePrekeys);
        await database.SaveIdentityAsync(identity.ExportSeed(), prekeys.ToBytes(), cancellationToken).ConfigureAwait(false);
        return new OwnKeys(identity, prekeys);
    }
}
