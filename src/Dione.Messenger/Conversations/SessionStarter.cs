using Dione.Messaging.Identity;
using Dione.Messaging.Protos;
using Dione.Messaging.Sessions;
using Dione.Messaging.X3dh;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Persistence;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace Dione.Messenger.Conversations;

/// <summary>
/// Starts a session with a contact who has none yet: fetches their prekey publications (every slot of this week and
/// last), keeps those signed by the identity in their address, and runs X3DH on the one with the newest signed prekey.
/// </summary>
internal sealed class SessionStarter(IMailbox mailbox, DioneIdentity identity, MessengerOptions options, ILogger logger)
{
    /// <exception cref="MessengerException">no valid publication of the contact was found.</exception>
    public async Task<DioneSession> StartAsync(ContactEntry contact, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var remote = IdentityKey.FromEd25519(contact.IdentityKey);
        VerifiedPrekeyBundle? best = null;
        foreach (var bytes in await mailbox.FetchAsync([.. PrekeyAddresses.ToFetch(remote, now)], cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var publication = PrekeyBundleVerifier.ParsePublication(DioneEnvelope.Parser.ParseFrom(bytes).Body.Span);
                var bundle = PrekeyBundleVerifier.Verify(PrekeyBundleVerifier.PickBundle(publication), remote, now);
                if (best is null || bundle.SignedPrekeyCreatedAt > best.SignedPrekeyCreatedAt)
                {
                    best = bundle;
                }
            }
            catch (Exception e) when (e is InvalidPrekeyBundleException or InvalidProtocolBufferException or FormatException)
            {
                MessengerLog.BadPublication(logger, contact.Name, e.Message);
            }
        }
        if (best is null)
        {
            throw new MessengerException($"no prekeys of '{contact.Name}' were found in the swarm; they must have run a Dione node that published them");
        }
        var initiation = X3dhInitiator.Initiate(identity, best);
        return DioneSession.InitiateAsAlice(initiation.Secrets, initiation.RemoteRatchetPublicKey, options.Session, initiation.SealedIntro.ToArray());
    }
}
