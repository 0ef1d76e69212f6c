using System.Security.Cryptography;
using Dione.Messaging.Crypto;
using Dione.Messaging.Identity;
using Dione.Messaging.Protos;
using Google.Protobuf;

namespace Dione.Messaging.X3dh;

/// <summary>
/// The sender's checks on what a recipient published (X3DH §3.3: "Alice verifies the prekey signature and aborts if it
/// fails"), done before any DH: size caps, version, the identity the sender expected (from the recipient's address, so a
/// store cannot substitute its own keys), canonical non-low-order X25519 keys, valid Ed25519 signatures, and key age.
/// Every failure is an <see cref="InvalidPrekeyBundleException"/>.
/// </summary>
public static class PrekeyBundleVerifier
{
    /// <summary>The bundle format version this code writes and reads.</summary>
    public const uint BundleVersion = 1;

    /// <summary>
    /// The publication format version this code writes and reads: 2 added the period and the identity's signature over
    /// the whole publication (version 1 could be replayed under another period's address).
    /// </summary>
    public const uint PublicationVersion = 2;

    /// <summary>Largest encoded bundle accepted (a real one is about 250 bytes).</summary>
    public const int MaxBundleBytes = 1024;

    /// <summary>Most one-time prekeys in one publication.</summary>
    public const int MaxPublishedOneTimePrekeys = 200;

    /// <summary>Largest encoded publication accepted.</summary>
    public const int MaxPublicationBytes = 64 * 1024;

    /// <summary>Parses and verifies an encoded <see cref="PrekeyBundle"/>.</summary>
    /// <exception cref="InvalidPrekeyBundleException">any check failed.</exception>
    public static VerifiedPrekeyBundle Verify(ReadOnlySpan<byte> bundleBytes, IdentityKey expectedIdentity, DateTimeOffset now, PrekeyBundleOptions? options = null)
    {
        if (bundleBytes.Length > MaxBundleBytes)
        {
            throw new InvalidPrekeyBundleException($"prekey bundle is {bundleBytes.Length} bytes, more than {MaxBundleBytes}");
        }
        PrekeyBundle bundle;
        try
        {
            bundle = PrekeyBundle.Parser.ParseFrom(bundleBytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidPrekeyBundleException("prekey bundle is not valid protobuf", e);
        }
        return Verify(bundle, expectedIdentity, now, options);
    }

    /// <summary>Verifies a parsed <see cref="PrekeyBundle"/>.</summary>
    /// <exception cref="InvalidPrekeyBundleException">any check failed.</exception>
    public static VerifiedPrekeyBundle Verify(PrekeyBundle bundle, IdentityKey expectedIdentity, DateTimeOffset now, PrekeyBundleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(expectedIdentity);
        options ??= PrekeyBundleOptions.Default;
        if (bundle.Version != BundleVersion)
        {
            throw new InvalidPrekeyBundleException($"prekey bundle version {bundle.Version} is unknown");
        }
        var identity = CheckIdentity(bundle.IdentityKey, expectedIdentity);
        var signed = bundle.SignedPrekey ?? throw new InvalidPrekeyBundleException("prekey bundle has no signed prekey");
        CheckKey(signed.PublicKey, "signed prekey");
        CheckSignatureLength(signed.Signature, "signed prekey");
        var message = PrekeySignatures.SignedPrekeyMessage(signed.Id, signed.CreatedUnixSeconds, signed.PublicKey.Span);
        if (!identity.Verify(message, signed.Signature.Span))
        {
            throw new InvalidPrekeyBundleException($"signed prekey {signed.Id} has a bad signature");
        }
        var created = CheckAge(signed.CreatedUnixSeconds, now, options);
        uint? oneTimeId = null;
        byte[]? oneTimeKey = null;
        if (bundle.OneTimePrekey is { } oneTime)
        {
            CheckKey(oneTime.PublicKey, "one-time prekey");
            CheckSignatureLength(oneTime.Signature, "one-time prekey");
            if (!identity.Verify(PrekeySignatures.OneTimePrekeyMessage(oneTime.Id, oneTime.PublicKey.Span), oneTime.Signature.Span))
            {
                throw new InvalidPrekeyBundleException($"one-time prekey {oneTime.Id} has a bad signature");
            }
            oneTimeId = oneTime.Id;
            oneTimeKey = oneTime.PublicKey.ToByteArray();
        }
        return new VerifiedPrekeyBundle(identity, signed.Id, signed.PublicKey.ToByteArray(), created, oneTimeId, oneTimeKey);
    }

    /// <summary>
    /// Parses and checks a <see cref="PrekeyPublication"/> fetched from the address of <paramref name="period"/>: size and
    /// count caps, version, the identity the sender expected, the period it was signed for and the identity's signature
    /// over the whole. The keys' own signatures and ages are checked later, on the bundle made from it.
    /// </summary>
    /// <exception cref="InvalidPrekeyBundleException">any check failed.</exception>
    public static PrekeyPublication VerifyPublication(ReadOnlySpan<byte> publicationBytes, IdentityKey expectedIdentity, ulong period)
    {
        ArgumentNullException.ThrowIfNull(expectedIdentity);
        if (publicationBytes.Length > MaxPublicationBytes)
        {
            throw new InvalidPrekeyBundleException($"prekey publication is {publicationBytes.Length} bytes, more than {MaxPublicationBytes}");
        }
        PrekeyPublication publication;
        try
        {
            publication = PrekeyPublication.Parser.ParseFrom(publicationBytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidPrekeyBundleException("prekey publication is not valid protobuf", e);
        }
        if (publication.Version != PublicationVersion)
        {
            throw new InvalidPrekeyBundleException($"prekey publication version {publication.Version} is unknown (this node reads version {PublicationVersion})");
        }
        if (publication.OneTimePrekeys.Count > MaxPublishedOneTimePrekeys)
        {
            throw new InvalidPrekeyBundleException(
                $"prekey publication has {publication.OneTimePrekeys.Count} one-time prekeys, more than {MaxPublishedOneTimePrekeys}");
        }
        var identity = CheckIdentity(publication.IdentityKey, expectedIdentity);
        if (publication.SignedPrekey is null)
        {
            throw new InvalidPrekeyBundleException("prekey publication has no signed prekey");
        }
        if (publication.Period != period)
        {
            throw new InvalidPrekeyBundleException(
                $"prekey publication was made for period {publication.Period} but was served at the address of period {period} (a replayed publication)");
        }
        CheckSignatureLength(publication.Signature, "prekey publication");
        if (!identity.Verify(PrekeySignatures.PublicationMessage(publication), publication.Signature.Span))
        {
            throw new InvalidPrekeyBundleException("prekey publication has a bad signature");
        }
        return publication;
    }

    /// <summary>
    /// The bundle for one session from a publication: its signed prekey and one of its one-time prekeys, chosen uniformly at
    /// random (or none if it lists none). Take it from a publication checked by <see cref="VerifyPublication"/>, and verify the result with <see cref="Verify(PrekeyBundle, IdentityKey, DateTimeOffset, PrekeyBundleOptions?)"/>.
    /// </summary>
    public static PrekeyBundle PickBundle(PrekeyPublication publication)
    {
        ArgumentNullException.ThrowIfNull(publication);
        var bundle = new PrekeyBundle
        {
            Version = BundleVersion,
            IdentityKey = publication.IdentityKey,
            SignedPrekey = publication.SignedPrekey,
        };
        if (publication.OneTimePrekeys.Count > 0)
        {
            bundle.OneTimePrekey = publication.OneTimePrekeys[RandomNumberGenerator.GetInt32(publication.OneTimePrekeys.Count)];
        }
        return bundle;
    }

    private static IdentityKey CheckIdentity(ByteString identityKey, IdentityKey expected)
    {
        if (identityKey.Length != Ed25519KeyPair.PublicKeyLength)
        {
            throw new InvalidPrekeyBundleException($"identity key is {identityKey.Length} bytes, not 32");
        }
        if (!identityKey.Span.SequenceEqual(expected.Ed25519PublicKey))
        {
            throw new InvalidPrekeyBundleException("prekey bundle belongs to another identity than the one expected");
        }
        return expected;
    }

    private static void CheckKey(ByteString key, string what)
    {
        var problem = X25519PublicKeyValidator.Check(key.Span);
        if (problem != X25519KeyProblem.None)
        {
            throw new InvalidPrekeyBundleException($"{what} public key refused: {Describe(problem, key.Length)}");
        }
    }

    private static void CheckSignatureLength(ByteString signature, string what)
    {
        if (signature.Length != Ed25519KeyPair.SignatureLength)
        {
            throw new InvalidPrekeyBundleException($"{what} signature is {signature.Length} bytes, not 64");
        }
    }

    private static DateTimeOffset CheckAge(ulong createdUnixSeconds, DateTimeOffset now, PrekeyBundleOptions options)
    {
        var nowSeconds = now.ToUnixTimeSeconds();
        if (createdUnixSeconds > (ulong)Math.Max(0, nowSeconds + (long)options.MaxClockSkew.TotalSeconds))
        {
            throw new InvalidPrekeyBundleException($"signed prekey was created in the future ({createdUnixSeconds} > now {nowSeconds})");
        }
        var created = DateTimeOffset.FromUnixTimeSeconds((long)createdUnixSeconds);
        if (now - created >= options.MaxSignedPrekeyAge)
        {
            throw new InvalidPrekeyBundleException(
                $"signed prekey is {(now - created).TotalDays:F1} days old; its owner may have deleted it at {options.MaxSignedPrekeyAge.TotalDays:F0} days (a stale publication)");
        }
        return created;
    }

    private static string Describe(X25519KeyProblem problem, int length) => problem switch
    {
        X25519KeyProblem.WrongLength => $"{length} bytes, not 32",
        X25519KeyProblem.NotCanonical => "not canonical",
        X25519KeyProblem.LowOrder => "low order",
        _ => problem.ToString(),
    };
}
