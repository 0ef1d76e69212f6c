using Dione.Messaging.Identity;
using Dione.Messaging.Intro;
using Dione.Messenger.Conversations;

namespace Dione.Messenger.Tests.TestSupport;

/// <summary>The mailbox addresses anyone can compute from a Dione address: the intro slots and prekey publication slots of now and the period before (hex).</summary>
internal static class IdentityBoundAddresses
{
    public static HashSet<string> Of(IdentityKey identity, DateTimeOffset now) =>
        [.. new IntroAddresses().PollAddresses(identity, now).Select(a => Convert.ToHexString(a.Address)),
            .. PrekeyAddresses.ToFetch(identity, now).Select(a => Convert.ToHexString(a.Address))];
}
