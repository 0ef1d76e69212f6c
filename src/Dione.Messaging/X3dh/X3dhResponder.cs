using System.Security.Cryptography;
using Dione.Messaging.Crypto;
using Dione.Messaging.Identity;
using Dione.Messaging.Intro;
using Dione.Messaging.Protos;
using Google.Protobuf;

namespace Dione.Messaging.X3dh;

/// <summary>
/// The recipient's side of X3DH (Signal X3DH §3.4). It repeats the sender's DH computations with its private prekeys,
/// checks the key confirmation, and only then, atomically, deletes the one-time prekey (or remembers the ephemeral key
/// when there was none). A second use of the same initial data is refused. A refused message changes nothing.
/// Persist the store after every accepted session.
/// </summary>
public static class X3dhResponder
{
    /// <summary>Largest encoded initial data accepted.</summary>
    public const int MaxInitialDataBytes = IntroSeal.MaxPlaintextBytes;

    /// <summary>Accepts encoded initial data that arrived in clear.</summary>
    /// <exception cref="X3dhRejectedException">refused; the store is unchanged.</exception>
    public static X3dhResponse Accept(DioneIdentity recipient, PrekeyStore store, ReadOnlySpan<byte> initialData) =>
        Accept(recipient, store, ParseInitialData(initialData));

    /// <summary>Accepts parsed initial data.</summary>
    /// <exception cref="X3dhRejectedException">refused; the store is unchanged.</exception>
    public static X3dhResponse Accept(DioneIdentity recipient, PrekeyStore store, X3dhInitialData initialData)
    {
        CheckOwner(recipient, store);
        ArgumentNullException.ThrowIfNull(initialData);
        CheckEphemeralKey(initialData.EphemeralKey.Span);
        var signedPrekey = store.FindSignedPrekey(initialData.SignedPrekeyId)
            ?? throw new X3dhRejectedException(X3dhRejection.UnknownSignedPrekey, $"signed prekey {initialData.SignedPrekeyId} is not held");
        var dhIdentity = recipient.AgreementKeyPair.Agree(initialData.EphemeralKey.Span);
        var dhSignedPrekey = signedPrekey.KeyPair.Agree(initialData.EphemeralKey.Span);
        try
        {
            return AcceptCore(recipient, store, initialData, signedPrekey, dhIdentity, dhSignedPrekey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dhIdentity);
            CryptographicOperations.ZeroMemory(dhSignedPrekey);
        }
    }

    /// <summary>
    /// Opens a sealed intro (the envelope's intro field) with the current or a retired signed prekey, then accepts the
    /// initial data inside it.
    /// </summary>
    /// <exception cref="X3dhRejectedException">unreadable or refused; the store is unchanged.</exception>
    public static X3dhResponse AcceptIntro(DioneIdentity recipient, PrekeyStore store, ReadOnlySpan<byte> sealedIntro)
    {
        CheckOwner(recipient, store);
        if (sealedIntro.Length < IntroSeal.Overhead || sealedIntro.Length > IntroSeal.MaxSealedBytes)
        {
            throw new X3dhRejectedException(X3dhRejection.Malformed, $"a sealed intro is {IntroSeal.Overhead} to {IntroSeal.MaxSealedBytes} bytes, not {sealedIntro.Length}");
        }
        var ephemeralKey = sealedIntro[..32];
        CheckEphemeralKey(ephemeralKey);
        var dhIdentity = recipient.AgreementKeyPair.Agree(ephemeralKey);
        try
        {
            foreach (var signedPrekey in store.SignedPrekeysNewestFirst())
            {
                var dhSignedPrekey = signedPrekey.KeyPair.Agree(ephemeralKey);
                try
                {
                    var plaintext = IntroSeal.TryOpen(dhIdentity, dhSignedPrekey, store.Identity, signedPrekey.KeyPair.PublicKey, sealedIntro);
                    if (plaintext is null)
                    {
                        continue;
                    }
                    var initialData = ParseInitialData(plaintext);
                    if (!initialData.EphemeralKey.Span.SequenceEqual(ephemeralKey) || initialData.SignedPrekeyId != signedPrekey.Id)
                    {
                        throw new X3dhRejectedException(X3dhRejection.Malformed, "the sealed initial data disagrees with the key that opened it");
                    }
                    return AcceptCore(recipient, store, initialData, signedPrekey, dhIdentity, dhSignedPrekey);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(dhSignedPrekey);
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dhIdentity);
        }
        throw new X3dhRejectedException(X3dhRejection.IntroUnreadable, "no held signed prekey opens this intro");
    }

    /// <summary>Parses encoded initial data with a size cap.</summary>
    /// <exception cref="X3dhRejectedException">too large or not valid protobuf.</exception>
    public static X3dhInitialData ParseInitialData(ReadOnlySpan<byte> initialData)
    {
        if (initialData.Length > MaxInitialDataBytes)
        {
            throw new X3dhRejectedException(X3dhRejection.Malformed, $"initial data is {initialData.Length} bytes, more than {MaxInitialDataBytes}");
        }
        try
        {
            return X3dhInitialData.Parser.ParseFrom(initialData);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new X3dhRejectedException("initial data is not valid protobuf", e);
        }
    }

    private static X3dhResponse AcceptCore(
        DioneIdentity recipient, PrekeyStore store, X3dhInitialData initialData, SignedPrekey signedPrekey, byte[] dhIdentity, byte[] dhSignedPrekey)
    {
        if (initialData.Version != X3dhInitiator.InitialDataVersion)
        {
            throw new X3dhRejectedException(X3dhRejection.UnsupportedVersion, $"initial data version {initialData.Version} is unknown");
        }
        if (!IdentityKey.TryFromEd25519(initialData.IdentityKey.Span, out var sender))
        {
            throw new X3dhRejectedException(X3dhRejection.InvalidIdentityKey, "the sender's identity key is not a usable Ed25519 key");
        }
        if (initialData.Confirmation.Length != X3dhConfirmation.Length)
        {
            throw new X3dhRejectedException(X3dhRejection.Malformed, $"the key confirmation is {initialData.Confirmation.Length} bytes, not 32");
        }
        var ephemeralKey = initialData.EphemeralKey.Span;
        uint? oneTimeId = initialData.HasOneTimePrekeyId ? initialData.OneTimePrekeyId : null;
        OneTimePrekey? oneTimePrekey = null;
        if (oneTimeId is { } id)
        {
            oneTimePrekey = store.FindOneTimePrekey(id)
                ?? throw new X3dhRejectedException(X3dhRejection.UnknownOneTimePrekey, $"one-time prekey {id} is not held (already used, or never issued)");
        }
        else if (store.HasSeenEphemeralKey(signedPrekey, ephemeralKey))
        {
            throw new X3dhRejectedException(X3dhRejection.ReplayedEphemeralKey, "a session with this ephemeral key and no one-time prekey was already accepted");
        }
        var dh = new List<byte[]>(4) { signedPrekey.KeyPair.Agree(sender.X25519PublicKey), dhIdentity.ToArray(), dhSignedPrekey.ToArray() };
        if (oneTimePrekey is not null)
        {
            dh.Add(oneTimePrekey.KeyPair.Agree(ephemeralKey));
        }
        X3dhKeys keys;
        try
        {
            byte[] associatedData = [.. sender.Encode(), .. store.Identity.Encode()];
            keys = X3dhKdf.DeriveDione(dh, associatedData);
            var expected = X3dhConfirmation.Compute(keys.ConfirmationKey, associatedData, ephemeralKey, signedPrekey.Id, oneTimeId);
            CryptographicOperations.ZeroMemory(keys.ConfirmationKey);
            if (!CryptographicOperations.FixedTimeEquals(expected, initialData.Confirmation.Span))
            {
                throw new X3dhRejectedException(X3dhRejection.ConfirmationFailed, "the key confirmation does not verify");
            }
        }
        finally
        {
            foreach (var value in dh)
            {
                CryptographicOperations.ZeroMemory(value);
            }
        }
        store.CommitAcceptedSession(signedPrekey, oneTimeId, ephemeralKey);
        return new X3dhResponse(keys.Secrets, sender, signedPrekey.KeyPair, signedPrekey.Id, oneTimeId);
    }

    private static void CheckEphemeralKey(ReadOnlySpan<byte> ephemeralKey)
    {
        var problem = X25519PublicKeyValidator.Check(ephemeralKey);
        if (problem != X25519KeyProblem.None)
        {
            throw new X3dhRejectedException(X3dhRejection.InvalidEphemeralKey, $"the ephemeral key is refused ({problem})");
        }
    }

    private static void CheckOwner(DioneIdentity recipient, PrekeyStore store)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(store);
        if (!recipient.PublicKey.Equals(store.Identity))
        {
            throw new ArgumentException("this identity does not own the prekey store", nameof(store));
        }
    }
}
