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

    /// <summary>
    /// The keys stored in <paramref name="database"/>, creating and saving them the first time. Another process may
    /// create them at the same moment (<c>dione address</c> beside a starting daemon): only the first write is kept,
    /// and both go on with what is stored, never with keys of their own that nobody else knows.
    /// </summary>
    public static async Task<OwnKeys> LoadOrCreateAsync(MessengerDatabase database, MessengerOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var (seed, prekeys) = await database.LoadIdentityAsync(cancellationToken).ConfigureAwait(false)
            ?? await CreateAsync(database, options, time, cancellationToken).ConfigureAwait(false);
        return new OwnKeys(DioneIdentity.FromSeed(seed), PrekeyStore.FromBytes(prekeys));
    }

    /// <summary>New keys, stored unless another process stored its own first; returns what is stored.</summary>
    private static Task<(byte[] Identity, byte[] Prekeys)> CreateAsync(MessengerDatabase database, MessengerOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var identity = DioneIdentity.Generate();
        return database.StoreIdentityIfAbsentAsync(identity.ExportSeed(), NewPrekeys(identity, options, time).ToBytes(), cancellationToken);
    }

    /// <summary>A new signed prekey and a full set of one-time prekeys for <paramref name="identity"/>.</summary>
    public static PrekeyStore NewPrekeys(DioneIdentity identity, MessengerOptions options, TimeProvider time)
    {
        var prekeys = PrekeyStore.Create(identity, time.GetUtcNow());
        prekeys.GenerateOneTimePrekeys(identity, options.OneTimePrekeys);
        return prekeys;
    }
}
