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
/// last), keeps those signed by the identity in their address for the week of the address they were found at, with a
/// signed prekey younger than the owner's maximum age, and runs X3DH on the one with the newest signed prekey.
/// </summary>
internal sealed class SessionStarter(IMailbox mailbox, DioneIdentity identity, MessengerOptions options, ILogger logger)
{
    /// <summary>Refusal reasons an error lists at most (a hostile holder may answer with many bad envelopes).</summary>
    private const int MaxReasonsShown = 4;

    /// <exception cref="MessengerException">no valid publication of the contact was found; the message lists why those found were refused.</exception>
    public async Task<DioneSession> StartAsync(ContactEntry contact, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var remote = IdentityKey.FromEd25519(contact.IdentityKey);
        var asked = PrekeyAddresses.ToFetch(remote, now);
        var periodOf = asked.ToDictionary(a => Convert.ToHexString(a.Address), a => a.Period);
        VerifiedPrekeyBundle? best = null;
        var refusals = new List<string>();
        foreach (var bytes in await mailbox.FetchAsync([.. asked.Select(a => a.Address)], MailboxTraffic.Contacting, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var envelope = DioneEnvelope.Parser.ParseFrom(bytes);
                if (!periodOf.TryGetValue(Convert.ToHexString(envelope.Address.Span), out var period))
                {
                    throw new InvalidPrekeyBundleException("a holder returned an envelope for an address that was not asked for");
                }
                var publication = PrekeyBundleVerifier.VerifyPublication(envelope.Body.Span, remote, period);
                var bundle = PrekeyBundleVerifier.Verify(PrekeyBundleVerifier.PickBundle(publication), remote, now);
                if (best is null || bundle.SignedPrekeyCreatedAt > best.SignedPrekeyCreatedAt)
                {
                    best = bundle;
                }
            }
            catch (Exception e) when (e is InvalidPrekeyBundleException or InvalidProtocolBufferException or FormatException)
            {
                MessengerLog.BadPublication(logger, contact.Name, e.Message);
                refusals.Add(e.Message);
            }
        }
        if (best is null)
        {
            throw new MessengerException(refusals.Count == 0
                ? $"no prekeys of '{contact.Name}' were found in the swarm; they must have run a Dione node that published them"
                : $"no usable prekeys of '{contact.Name}' were found in the swarm; every publication found was refused: {string.Join("; ", refusals.Distinct().Take(MaxReasonsShown))}");
        }
        var initiation = X3dhInitiator.Initiate(identity, best);
        return DioneSession.InitiateAsAlice(initiation.Secrets, initiation.RemoteRatchetPublicKey, options.Session, initiation.SealedIntro.ToArray());
    }
}
