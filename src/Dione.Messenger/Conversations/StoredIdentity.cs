using Dione.Messaging.Identity;

namespace Dione.Messenger.Conversations;

/// <summary>
/// The messaging identity a repo holds (null when none was created yet) and what belongs to it: what replacing it
/// with another identity would delete.
/// </summary>
public sealed record StoredIdentity(IdentityKey? Key, int Contacts, long Sessions, long Received, long Pending)
{
    /// <summary>True when no identity is stored, or it is <paramref name="other"/>: storing that one loses nothing.</summary>
    public bool CanTakeWithoutLoss(IdentityKey other) => Key is null || Key.Equals(other);
}
