using Dione.Libp2p.Identity;

namespace Dione.Messenger.Mailbox;

/// <summary>How a store went: which holders acknowledged, and why the others did not.</summary>
public sealed record ReplicationResult(IReadOnlyList<PeerId> Acknowledged, IReadOnlyDictionary<PeerId, string> Failures, int Wanted)
{
    /// <summary>True when <see cref="Wanted"/> holders (r, or every Dione peer when there are fewer) acknowledged.</summary>
    public bool Complete => Acknowledged.Count >= Wanted;
}
