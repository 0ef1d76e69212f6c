using Dione.Messenger.Persistence;

namespace Dione.Messenger.Conversations;

/// <summary>
/// The identities whose session this person removed (<c>contact rm --force</c>) and has not started again. The next
/// session started with one of them says so in its first message (<c>MessageContent.restarted</c>), so that their side
/// drops the session it still has, even one that waits for an answer to its own intro, instead of keeping it as the
/// winner of a simultaneous first contact and never reading this side again.
/// </summary>
internal sealed class ForgottenSessions(MessengerDatabase database)
{
    private const string KeyPrefix = "session.forgotten.";

    public Task RememberAsync(byte[] identityKey, CancellationToken cancellationToken) =>
        database.SetMetaAsync(KeyPrefix + Convert.ToHexString(identityKey), [1], cancellationToken);

    public async Task<bool> ContainsAsync(byte[] identityKey, CancellationToken cancellationToken) =>
        await database.GetMetaAsync(KeyPrefix + Convert.ToHexString(identityKey), cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>
    /// Once the restarting session is committed. A crash just before leaves the mark, and a later session would say
    /// "restarted" once more: harmless unless both sides then start over at the same moment.
    /// </summary>
    public Task ClearAsync(byte[] identityKey, CancellationToken cancellationToken) =>
        database.DeleteMetaAsync(KeyPrefix + Convert.ToHexString(identityKey), cancellationToken);
}
