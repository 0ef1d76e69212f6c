using Dione.Messaging.Identity;
using Dione.Messaging.X3dh;
using Google.Protobuf;

namespace Dione.Messaging.Tests.X3dh;

/// <summary>A sender (Alice) and a recipient (Bob) with a prekey store, at a fixed time.</summary>
internal sealed class X3dhParties
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public X3dhParties(int oneTimePrekeys = 5, PrekeyPolicy? policy = null)
    {
        Alice = DioneIdentity.Generate();
        Bob = DioneIdentity.Generate();
        BobStore = PrekeyStore.Create(Bob, Now, policy);
        BobStore.GenerateOneTimePrekeys(Bob, oneTimePrekeys);
    }

    public DioneIdentity Alice { get; }

    public DioneIdentity Bob { get; }

    public PrekeyStore BobStore { get; }

    public VerifiedPrekeyBundle Bundle(bool withOneTimePrekey = true, DateTimeOffset? now = null) =>
        PrekeyBundleVerifier.Verify(
            BobStore.CreateBundle(withOneTimePrekey ? BobStore.OneTimePrekeyIds[0] : null).ToByteArray(), Bob.PublicKey, now ?? Now);

    public X3dhInitiation Initiate(bool withOneTimePrekey = true, DateTimeOffset? now = null) =>
        X3dhInitiator.Initiate(Alice, Bundle(withOneTimePrekey, now));
}
