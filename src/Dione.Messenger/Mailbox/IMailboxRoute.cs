using Dione.Libp2p.Identity;
using Dione.Messenger.Store;

namespace Dione.Messenger.Mailbox;

/// <summary>
/// What mailbox requests go out over: a <c>/dione/1.0</c> client and the overlay lookup that finds an address's
/// holders, both under one libp2p identity (a throwaway one, see <see cref="EphemeralIdentity"/>, or the node's own
/// for a holder's upkeep).
/// </summary>
internal interface IMailboxRoute
{
    DioneStoreClient Store { get; }

    /// <summary>The holders of <paramref name="address"/> other than this node, found by an overlay lookup.</summary>
    Task<IReadOnlyList<PeerId>> FindHoldersAsync(byte[] address, CancellationToken cancellationToken);
}
