using Dione.Libp2p.Identity;
using Dione.Messenger.Overlay;
using Dione.Messenger.Store;

namespace Dione.Messenger.Mailbox;

/// <summary>
/// Requests under the node's own peer id: a holder's upkeep (re-replication), which says nothing about any person,
/// and everything when throwaway identities are switched off (<see cref="MailboxServiceOptions.EphemeralIdentities"/>).
/// </summary>
internal sealed class HomeRoute(DioneOverlay overlay, DioneStoreClient store) : IMailboxRoute
{
    public DioneStoreClient Store => store;

    public Task<IReadOnlyList<PeerId>> FindHoldersAsync(byte[] address, CancellationToken cancellationToken) =>
        overlay.FindHoldersAsync(address, cancellationToken);
}
