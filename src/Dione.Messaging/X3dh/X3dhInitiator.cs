using System.Security.Cryptography;
using Dione.Messaging.Crypto;
using Dione.Messaging.Identity;
using Dione.Messaging.Intro;
using Dione.Messaging.Protos;
using Dione.Primitives.Crypto;
using Google.Protobuf;

namespace Dione.Messaging.X3dh;

/// <summary>
/// The sender's side of X3DH (Signal X3DH §3.3) from a verified bundle:
/// DH1 = DH(IK_A, SPK_B), DH2 = DH(EK_A, IK_B), DH3 = DH(EK_A, SPK_B), DH4 = DH(EK_A, OPK_B) if the bundle has a one-time
/// prekey; SK, shared_hka, shared_nhkb and the confirmation key from <see cref="X3dhKdf"/>; AD = Encode(IK_A) || Encode(IK_B).
/// </summary>
public static class X3dhInitiator
{
    /// <summary>The initial data's format version.</summary>
    public const uint InitialDataVersion = 1;

    /// <summary>Runs X3DH with a fresh ephemeral key pair.</summary>
    public static X3dhInitiation Initiate(DioneIdentity sender, VerifiedPrekeyBundle bundle) =>
        Initiate(sender, bundle, X25519KeyPair.Generate());

    internal static X3dhInitiation Initiate(DioneIdentity sender, VerifiedPrekeyBundle bundle, X25519KeyPair ephemeral)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(ephemeral);
        var recipient = bundle.Identity;
        var signedPrekey = bundle.SignedPrekey.ToArray();
        var dh = new List<byte[]>(4)
        {
            sender.AgreementKeyPair.Agree(signedPrekey),
            ephemeral.Agree(recipient.X25519PublicKey),
            ephemeral.Agree(signedPrekey),
        };
        if (bundle.OneTimePrekeyId.HasValue)
        {
            dh.Add(ephemeral.Agree(bundle.OneTimePrekey));
        }
        try
        {
            byte[] associatedData = [.. sender.PublicKey.Encode(), .. recipient.Encode()];
            var keys = X3dhKdf.DeriveDione(dh, associatedData);
            var initialData = new X3dhInitialData
            {
                Version = InitialDataVersion,
                IdentityKey = ByteString.CopyFrom(sender.PublicKey.Ed25519PublicKey),
                EphemeralKey = ByteString.CopyFrom(ephemeral.PublicKey),
                SignedPrekeyId = bundle.SignedPrekeyId,
                Confirmation = ByteString.CopyFrom(X3dhConfirmation.Compute(
                    keys.ConfirmationKey, associatedData, ephemeral.PublicKey, bundle.SignedPrekeyId, bundle.OneTimePrekeyId)),
            };
            if (bundle.OneTimePrekeyId is { } oneTimeId)
            {
                initialData.OneTimePrekeyId = oneTimeId;
            }
            CryptographicOperations.ZeroMemory(keys.ConfirmationKey);
            var sealedIntro = IntroSeal.Seal(dh[1], dh[2], ephemeral.PublicKey, recipient, signedPrekey, initialData.ToByteArray());
            return new X3dhInitiation(keys.Secrets, recipient, signedPrekey, initialData, sealedIntro);
        }
        finally
        {
            foreach (var value in dh)
            {
                CryptographicOperations.ZeroMemory(value);
            }
        }
    }
}
