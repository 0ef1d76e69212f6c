using Dione.Messaging.Identity;
using Dione.Messaging.Protos;
using Dione.Messaging.X3dh;
using Dione.Primitives.Crypto;
using Google.Protobuf;

namespace Dione.Messaging.Tests.X3dh;

public class PrekeyBundleTests
{
    private static readonly DateTimeOffset Now = X3dhParties.Now;

    [Fact]
    public void A_bundle_from_the_store_verifies()
    {
        var parties = new X3dhParties();
        var id = parties.BobStore.OneTimePrekeyIds[2];
        var bundle = PrekeyBundleVerifier.Verify(parties.BobStore.CreateBundle(id).ToByteArray(), parties.Bob.PublicKey, Now);
        Assert.Equal(parties.Bob.PublicKey, bundle.Identity);
        Assert.Equal(parties.BobStore.CurrentSignedPrekey.Id, bundle.SignedPrekeyId);
        Assert.Equal(parties.BobStore.CurrentSignedPrekey.KeyPair.PublicKey, bundle.SignedPrekey.ToArray());
        Assert.Equal(id, bundle.OneTimePrekeyId);
        Assert.Equal(parties.BobStore.FindOneTimePrekey(id)!.KeyPair.PublicKey, bundle.OneTimePrekey.ToArray());
        Assert.Equal(Now, bundle.SignedPrekeyCreatedAt);
    }

    [Fact]
    public void A_bundle_without_one_time_prekey_verifies()
    {
        var parties = new X3dhParties(oneTimePrekeys: 0);
        var bundle = PrekeyBundleVerifier.Verify(parties.BobStore.CreateBundle(), parties.Bob.PublicKey, Now);
        Assert.Null(bundle.OneTimePrekeyId);
        Assert.True(bundle.OneTimePrekey.IsEmpty);
    }

    [Fact]
    public void Every_flipped_signature_bit_is_refused()
    {
        var parties = new X3dhParties();
        var good = parties.BobStore.CreateBundle(parties.BobStore.OneTimePrekeyIds[0]);
        for (var bit = 0; bit < 512; bit += 7)
        {
            var bad = good.Clone();
            bad.SignedPrekey.Signature = Flip(good.SignedPrekey.Signature, bit);
            AssertRefused(bad, parties.Bob.PublicKey, "signed prekey");
            bad = good.Clone();
            bad.OneTimePrekey.Signature = Flip(good.OneTimePrekey.Signature, bit);
            AssertRefused(bad, parties.Bob.PublicKey, "one-time prekey");
        }
    }

    [Fact]
    public void Signed_fields_cannot_be_changed()
    {
        var parties = new X3dhParties();
        var good = parties.BobStore.CreateBundle(parties.BobStore.OneTimePrekeyIds[0]);
        var bad = good.Clone();
        bad.SignedPrekey.Id++;
        AssertRefused(bad, parties.Bob.PublicKey, "bad signature");
        bad = good.Clone();
        bad.SignedPrekey.CreatedUnixSeconds--;
        AssertRefused(bad, parties.Bob.PublicKey, "bad signature");
        bad = good.Clone();
        bad.OneTimePrekey.Id++;
        AssertRefused(bad, parties.Bob.PublicKey, "bad signature");
        bad = good.Clone();
        bad.SignedPrekey.PublicKey = ByteString.CopyFrom(X25519KeyPair.Generate().PublicKey);
        AssertRefused(bad, parties.Bob.PublicKey, "bad signature");
        // A one-time prekey's signature does not pass for a signed prekey (domain separation).
        bad = good.Clone();
        bad.SignedPrekey.PublicKey = good.OneTimePrekey.PublicKey;
        bad.SignedPrekey.Id = good.OneTimePrekey.Id;
        bad.SignedPrekey.Signature = good.OneTimePrekey.Signature;
        AssertRefused(bad, parties.Bob.PublicKey, "bad signature");
    }

    [Fact]
    public void A_bundle_of_another_identity_is_refused_even_when_its_signatures_are_good()
    {
        var parties = new X3dhParties();
        var mallory = new X3dhParties();
        AssertRefused(mallory.BobStore.CreateBundle(), parties.Bob.PublicKey, "another identity");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void Wrong_lengths_are_refused(int length)
    {
        var parties = new X3dhParties();
        var good = parties.BobStore.CreateBundle(parties.BobStore.OneTimePrekeyIds[0]);
        var bad = good.Clone();
        bad.IdentityKey = ByteString.CopyFrom(new byte[length]);
        AssertRefused(bad, parties.Bob.PublicKey, "identity key");
        bad = good.Clone();
        bad.SignedPrekey.PublicKey = ByteString.CopyFrom(new byte[length]);
        AssertRefused(bad, parties.Bob.PublicKey, "signed prekey public key");
        bad = good.Clone();
        bad.OneTimePrekey.PublicKey = ByteString.CopyFrom(new byte[length]);
        AssertRefused(bad, parties.Bob.PublicKey, "one-time prekey public key");
        if (length != 64)
        {
            bad = good.Clone();
            bad.SignedPrekey.Signature = ByteString.CopyFrom(new byte[length]);
            AssertRefused(bad, parties.Bob.PublicKey, "signature is");
        }
    }

    [Fact]
    public void Low_order_prekeys_are_refused_even_when_properly_signed()
    {
        // A careless or malicious owner could sign a low-order key; the sender must still refuse it.
        var bob = DioneIdentity.Generate();
        foreach (var hex in X25519PublicKeyValidatorTests.LowOrderPoints)
        {
            var key = Convert.FromHexString(hex);
            var bundle = new PrekeyBundle
            {
                Version = 1,
                IdentityKey = ByteString.CopyFrom(bob.PublicKey.Ed25519PublicKey),
                SignedPrekey = new SignedPrekeyPublic
                {
                    Id = 1,
                    PublicKey = ByteString.CopyFrom(key),
                    CreatedUnixSeconds = (ulong)Now.ToUnixTimeSeconds(),
                    Signature = ByteString.CopyFrom(PrekeySignatures.SignSignedPrekey(bob, 1, (ulong)Now.ToUnixTimeSeconds(), key)),
                },
            };
            AssertRefused(bundle, bob.PublicKey, "low order");
        }
    }

    [Fact]
    public void Missing_parts_and_unknown_versions_are_refused()
    {
        var parties = new X3dhParties();
        var bad = parties.BobStore.CreateBundle();
        bad.SignedPrekey = null;
        AssertRefused(bad, parties.Bob.PublicKey, "no signed prekey");
        bad = parties.BobStore.CreateBundle();
        bad.Version = 2;
        AssertRefused(bad, parties.Bob.PublicKey, "version");
    }

    [Fact]
    public void Stale_and_future_signed_prekeys_are_refused()
    {
        var parties = new X3dhParties();
        var bytes = parties.BobStore.CreateBundle().ToByteArray();
        var maxAge = PrekeyPolicy.Default.MaxSignedPrekeyAge;
        PrekeyBundleVerifier.Verify(bytes, parties.Bob.PublicKey, Now + maxAge - TimeSpan.FromSeconds(1));
        PrekeyBundleVerifier.Verify(bytes, parties.Bob.PublicKey, Now - TimeSpan.FromHours(23));
        var stale = Assert.Throws<InvalidPrekeyBundleException>(() => PrekeyBundleVerifier.Verify(bytes, parties.Bob.PublicKey, Now + maxAge));
        Assert.Contains("days old", stale.Message, StringComparison.Ordinal);
        var future = Assert.Throws<InvalidPrekeyBundleException>(() => PrekeyBundleVerifier.Verify(bytes, parties.Bob.PublicKey, Now - TimeSpan.FromDays(2)));
        Assert.Contains("future", future.Message, StringComparison.Ordinal);
        var slowOwner = new PrekeyBundleOptions { OwnerPolicy = new PrekeyPolicy { GracePeriod = TimeSpan.FromDays(400) } };
        PrekeyBundleVerifier.Verify(bytes, parties.Bob.PublicKey, Now + TimeSpan.FromDays(300), slowOwner);
    }

    [Fact]
    public void A_signed_prekey_a_sender_accepts_is_still_held_by_its_owner()
    {
        // On schedule (rotated after 7 days) and early (its replay memory filled on the first day): at every hour of
        // its life, a key the sender's check accepts is one the owner has not pruned.
        foreach (var rotatedAfter in new[] { TimeSpan.FromDays(7), TimeSpan.FromDays(1) })
        {
            var parties = new X3dhParties();
            var key = parties.BobStore.CurrentSignedPrekey;
            var bundle = parties.BobStore.CreateBundle().ToByteArray();
            parties.BobStore.RotateSignedPrekey(parties.Bob, Now + rotatedAfter);
            for (var age = rotatedAfter; age <= TimeSpan.FromDays(70); age += TimeSpan.FromHours(1))
            {
                parties.BobStore.PruneExpired(Now + age);
                var held = parties.BobStore.FindSignedPrekey(key.Id) is not null;
                var accepted = Accepts(bundle, parties.Bob.PublicKey, Now + age);
                Assert.True(!accepted || held, $"rotated after {rotatedAfter.TotalDays} days: accepted at {age.TotalHours} hours, already deleted");
            }
            Assert.Null(parties.BobStore.FindSignedPrekey(key.Id));
        }
    }

    [Fact]
    public void A_publication_is_refused_under_another_period_than_it_was_signed_for()
    {
        var parties = new X3dhParties(oneTimePrekeys: 2);
        var bytes = parties.BobStore.CreatePublication(parties.Bob, period: 2_934).ToByteArray();

        Assert.Equal(2, PrekeyBundleVerifier.VerifyPublication(bytes, parties.Bob.PublicKey, period: 2_934).OneTimePrekeys.Count);
        var replayed = Assert.Throws<InvalidPrekeyBundleException>(() => PrekeyBundleVerifier.VerifyPublication(bytes, parties.Bob.PublicKey, period: 2_935));
        Assert.Contains("period 2934", replayed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_publication_whose_period_or_keys_were_changed_is_refused()
    {
        var parties = new X3dhParties(oneTimePrekeys: 2);
        var good = parties.BobStore.CreatePublication(parties.Bob, period: 7);
        var relabelled = good.Clone();
        relabelled.Period = 8;
        AssertPublicationRefused(relabelled, parties.Bob.PublicKey, 8, "bad signature");
        var trimmed = good.Clone();
        trimmed.OneTimePrekeys.RemoveAt(0);
        AssertPublicationRefused(trimmed, parties.Bob.PublicKey, 7, "bad signature");
        var unsigned = good.Clone();
        unsigned.Signature = Google.Protobuf.ByteString.Empty;
        AssertPublicationRefused(unsigned, parties.Bob.PublicKey, 7, "signature");
        var version1 = good.Clone();
        version1.Version = 1;
        AssertPublicationRefused(version1, parties.Bob.PublicKey, 7, "version 1");
        AssertPublicationRefused(good, DioneIdentity.Generate().PublicKey, 7, "another identity");
    }

    [Fact]
    public void Oversized_and_garbage_input_is_refused()
    {
        var parties = new X3dhParties();
        Assert.Throws<InvalidPrekeyBundleException>(() => PrekeyBundleVerifier.Verify(new byte[PrekeyBundleVerifier.MaxBundleBytes + 1], parties.Bob.PublicKey, Now));
        Assert.Throws<InvalidPrekeyBundleException>(() => PrekeyBundleVerifier.Verify(new byte[] { 0xff, 0xff, 0xff }, parties.Bob.PublicKey, Now));
        Assert.Throws<InvalidPrekeyBundleException>(() => PrekeyBundleVerifier.Verify(ReadOnlySpan<byte>.Empty, parties.Bob.PublicKey, Now));
        Assert.Throws<InvalidPrekeyBundleException>(() => PrekeyBundleVerifier.VerifyPublication(new byte[PrekeyBundleVerifier.MaxPublicationBytes + 1], parties.Bob.PublicKey, 0));
    }

    [Fact]
    public void A_publication_yields_verifiable_bundles_over_all_its_one_time_prekeys()
    {
        var parties = new X3dhParties(oneTimePrekeys: 4);
        var bytes = parties.BobStore.CreatePublication(parties.Bob, period: 1).ToByteArray();
        var publication = PrekeyBundleVerifier.VerifyPublication(bytes, parties.Bob.PublicKey, period: 1);
        Assert.Equal(4, publication.OneTimePrekeys.Count);
        var seen = new HashSet<uint>();
        for (var i = 0; i < 200 && seen.Count < 4; i++)
        {
            var bundle = PrekeyBundleVerifier.Verify(PrekeyBundleVerifier.PickBundle(publication), parties.Bob.PublicKey, Now);
            seen.Add(bundle.OneTimePrekeyId!.Value);
        }
        Assert.Equal(parties.BobStore.OneTimePrekeyIds.ToHashSet(), seen);
    }

    [Fact]
    public void A_publication_with_too_many_one_time_prekeys_is_refused()
    {
        var parties = new X3dhParties(oneTimePrekeys: 1);
        var publication = parties.BobStore.CreatePublication(parties.Bob, period: 1);
        for (var i = 0; i < PrekeyBundleVerifier.MaxPublishedOneTimePrekeys; i++)
        {
            publication.OneTimePrekeys.Add(publication.OneTimePrekeys[0]);
        }
        Assert.Throws<InvalidPrekeyBundleException>(() => PrekeyBundleVerifier.VerifyPublication(publication.ToByteArray(), parties.Bob.PublicKey, period: 1));
    }

    private static bool Accepts(byte[] bundle, IdentityKey identity, DateTimeOffset now)
    {
        try
        {
            PrekeyBundleVerifier.Verify(bundle, identity, now);
            return true;
        }
        catch (InvalidPrekeyBundleException)
        {
            return false;
        }
    }

    private static void AssertPublicationRefused(PrekeyPublication publication, IdentityKey expected, ulong period, string messagePart)
    {
        var e = Assert.Throws<InvalidPrekeyBundleException>(() => PrekeyBundleVerifier.VerifyPublication(publication.ToByteArray(), expected, period));
        Assert.Contains(messagePart, e.Message, StringComparison.Ordinal);
    }

    private static void AssertRefused(PrekeyBundle bundle, IdentityKey expected, string messagePart)
    {
        var e = Assert.Throws<InvalidPrekeyBundleException>(() => PrekeyBundleVerifier.Verify(bundle.ToByteArray(), expected, Now));
        Assert.Contains(messagePart, e.Message, StringComparison.Ordinal);
    }

    private static ByteString Flip(ByteString value, int bit)
    {
        var bytes = value.ToByteArray();
        bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        return ByteString.CopyFrom(bytes);
    }
}
