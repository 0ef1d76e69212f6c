using Dione.Libp2p.Identity;
using Dione.Messenger.Protos;

namespace Dione.Messenger.Mailbox;

/// <summary>
/// How a store went: which holders acknowledged, why the others did not, and which of those answered with a refusal
/// status (the rest could not be reached or broke the protocol).
/// </summary>
public sealed record ReplicationResult(
    IReadOnlyList<PeerId> Acknowledged,
    IReadOnlyDictionary<PeerId, string> Failures,
    IReadOnlyDictionary<PeerId, StoreResponse.Types.Status> Refusals,
    int Wanted)
{
    /// <summary>True when <see cref="Wanted"/> holders (r, or every Dione peer when there are fewer) acknowledged.</summary>
    public bool Complete => Acknowledged.Count >= Wanted;

    /// <summary>
    /// True when a holder answered that this envelope was stored there and deleted with its token (<c>NOT_FOUND</c> to a
    /// STORE): its reader has taken it, so storing it anywhere again would only bring back what was deleted.
    /// </summary>
    public bool Deleted => Refusals.Values.Any(s => s == StoreResponse.Types.Status.NotFound);

    /// <summary>True when nobody took the envelope and every holder that answered said another one holds the address.</summary>
    public bool RefusedAsConflict =>
        Acknowledged.Count == 0 && Refusals.Count > 0 && Refusals.Count == Failures.Count
        && Refusals.Values.All(s => s == StoreResponse.Types.Status.Conflict);
}
