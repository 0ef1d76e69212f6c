using Dione.Messaging.Identity;
using Dione.Messaging.X3dh;
using Google.Protobuf;

namespace Dione.Messaging.Tests.X3dh;

public class X3dhAgreementTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Alice_and_bob_derive_the_same_secrets_through_the_sealed_intro(bool withOneTimePrekey)
    {
        var parties = new X3dhParties();
        var alice = parties.Initiate(withOneTimePrekey);
        var bob = X3dhResponder.AcceptIntro(parties.Bob, parties.BobStore, alice.SealedIntro);

        AssertSameSecrets(alice.Secrets, bob.Secrets);
        Assert.Equal(parties.Alice.PublicKey, bob.RemoteIdentity);
        Assert.Equal(parties.Bob.PublicKey, alice.RemoteIdentity);
        Assert.Equal(alice.RemoteRatchetPublicKey.ToArray(), bob.RatchetKeyPair.PublicKey);
        Assert.Equal(parties.BobStore.CurrentSignedPrekey.KeyPair.PublicKey, bob.RatchetKeyPair.PublicKey);
        Assert.Equal(withOneTimePrekey, bob.OneTimePrekeyId.HasValue);
        byte[] expectedAd = [.. parties.Alice.PublicKey.Encode(), .. parties.Bob.PublicKey.Encode()];
        Assert.Equal(expectedAd, bob.Secrets.AssociatedData);
        Assert.Equal(66, expectedAd.Length);
    }

    [Fact]
    public void Initial_data_in_clear_gives_the_same_secrets()
    {
        var parties = new X3dhParties();
        var alice = parties.Initiate();
        var bob = X3dhResponder.Accept(parties.Bob, parties.BobStore, alice.InitialData.ToByteArray());
        AssertSameSecrets(alice.Secrets, bob.Secrets);
    }

    [Fact]
    public void With_and_without_a_one_time_prekey_the_secrets_differ()
    {
        var parties = new X3dhParties();
        var with = X3dhResponder.AcceptIntro(parties.Bob, parties.BobStore, parties.Initiate(true).SealedIntro);
        var without = X3dhResponder.AcceptIntro(parties.Bob, parties.BobStore, parties.Initiate(false).SealedIntro);
        Assert.NotEqual(with.Secrets.RootKey, without.Secrets.RootKey);
    }

    [Fact]
    public void All_four_keys_are_distinct()
    {
        var secrets = new X3dhParties().Initiate().Secrets;
        Assert.Equal(3, new[] { secrets.RootKey, secrets.SharedHeaderKey, secrets.SharedNextHeaderKey }.Select(Convert.ToHexString).Distinct().Count());
        Assert.All(new[] { secrets.RootKey, secrets.SharedHeaderKey, secrets.SharedNextHeaderKey }, key => Assert.Equal(32, key.Length));
    }

    [Fact]
    public void Using_a_one_time_prekey_deletes_it_and_a_second_use_is_refused()
    {
        var parties = new X3dhParties();
        var alice = parties.Initiate();
        var used = alice.InitialData.OneTimePrekeyId;
        var before = parties.BobStore.OneTimePrekeyCount;
        X3dhResponder.AcceptIntro(parties.Bob, parties.BobStore, alice.SealedIntro);
        Assert.Equal(before - 1, parties.BobStore.OneTimePrekeyCount);
        Assert.Null(parties.BobStore.FindOneTimePrekey(used));

        var replay = Assert.Throws<X3dhRejectedException>(() => X3dhResponder.AcceptIntro(parties.Bob, parties.BobStore, alice.SealedIntro));
        Assert.Equal(X3dhRejection.UnknownOneTimePrekey, replay.Reason);
        var clearReplay = Assert.Throws<X3dhRejectedException>(() => X3dhResponder.Accept(parties.Bob, parties.BobStore, alice.InitialData));
        Assert.Equal(X3dhRejection.UnknownOneTimePrekey, clearReplay.Reason);
    }

    [Fact]
    public void Without_a_one_time_prekey_a_replay_is_refused_by_the_ephemeral_key_memory()
    {
        var parties = new X3dhParties(oneTimePrekeys: 0);
        var alice = parties.Initiate(withOneTimePrekey: false);
        X3dhResponder.AcceptIntro(parties.Bob, parties.BobStore, alice.SealedIntro);
        Assert.Equal(1, parties.BobStore.CurrentSignedPrekey.RememberedEphemeralKeyCount);

        var replay = Assert.Throws<X3dhRejectedException>(() => X3dhResponder.AcceptIntro(parties.Bob, parties.BobStore, alice.SealedIntro));
        Assert.Equal(X3dhRejection.ReplayedEphemeralKey, replay.Reason);
        Assert.Equal(1, parties.BobStore.CurrentSignedPrekey.RememberedEphemeralKeyCount);
    }

    [Theory]
    [InlineData(true, X3dhRejection.UnknownOneTimePrekey)]
    [InlineData(false, X3dhRejection.ReplayedEphemeralKey)]
    public void Concurrent_acceptances_of_one_initial_message_succeed_only_once(bool withOneTimePrekey, X3dhRejection replayReason)
    {
        var parties = new X3dhParties();
        var alice = parties.Initiate(withOneTimePrekey);
        var outcomes = Enumerable.Range(0, 8).AsParallel().Select(_ =>
        {
            try
            {
                X3dhResponder.AcceptIntro(parties.Bob, parties.BobStore, alice.SealedIntro);
                return "accepted";
            }
            catch (X3dhRejectedException e)
            {
                return e.Reason.ToString();
            }
        }).ToList();
        Assert.Equal(1, outcomes.Count(o => o == "accepted"));
        Assert.All(outcomes.Where(o => o != "accepted"), o => Assert.Equal(replayReason.ToString(), o));
    }

    [Fact]
    public void A_forged_initial_data_claiming_alices_identity_fails_confirmation_and_consumes_nothing()
    {
        // Mallory knows every public key but not Alice's identity private key: she runs X3DH as herself, then swaps in IK_A.
        var parties = new X3dhParties();
        var mallory = DioneIdentity.Generate();
        var forged = X3dhInitiator.Initiate(mallory, parties.Bundle()).InitialData.Clone();
        forged.IdentityKey = ByteString.CopyFrom(parties.Alice.PublicKey.Ed25519PublicKey);
        var count = parties.BobStore.OneTimePrekeyCount;

        var refused = Assert.Throws<X3dhRejectedException>(() => X3dhResponder.Accept(parties.Bob, parties.BobStore, forged));
        Assert.Equal(X3dhRejection.ConfirmationFailed, refused.Reason);
        Assert.Equal(count, parties.BobStore.OneTimePrekeyCount);
    }

    [Theory]
    [InlineData("one_time_prekey_id")]
    [InlineData("drop_one_time_prekey_id")]
    [InlineData("confirmation")]
    [InlineData("ephemeral_key_torsion_free_copy")]
    public void Altering_a_field_of_the_initial_data_fails_confirmation(string field)
    {
        var parties = new X3dhParties();
        var data = parties.Initiate().InitialData.Clone();
        var expected = X3dhRejection.ConfirmationFailed;
        switch (field)
        {
            case "one_time_prekey_id":
                data.OneTimePrekeyId = parties.BobStore.OneTimePrekeyIds[1];
                break;
            case "drop_one_time_prekey_id":
                data.ClearOneTimePrekeyId();
                break;
            case "confirmation":
                var bytes = data.Confirmation.ToByteArray();
                bytes[7] ^= 1;
                data.Confirmation = ByteString.CopyFrom(bytes);
                break;
            default:
                // The same u with the top bit set gives the same DH values; it is refused before any DH.
                var key = data.EphemeralKey.ToByteArray();
                key[31] |= 0x80;
                data.EphemeralKey = ByteString.CopyFrom(key);
                expected = X3dhRejection.InvalidEphemeralKey;
                break;
        }
        var count = parties.BobStore.OneTimePrekeyCount;
        var refused = Assert.Throws<X3dhRejectedException>(() => X3dhResponder.Accept(parties.Bob, parties.BobStore, data));
        Assert.Equal(expected, refused.Reason);
        Assert.Equal(count, parties.BobStore.OneTimePrekeyCount);
    }

    [Fact]
    public void Low_order_ephemeral_keys_are_refused()
    {
        var parties = new X3dhParties();
        foreach (var lowOrder in X25519PublicKeyValidatorTests.LowOrderPoints)
        {
            var data = parties.Initiate().InitialData.Clone();
            data.EphemeralKey = ByteString.CopyFrom(Convert.FromHexString(lowOrder));
            var refused = Assert.Throws<X3dhRejectedException>(() => X3dhResponder.Accept(parties.Bob, parties.BobStore, data));
            Assert.Equal(X3dhRejection.InvalidEphemeralKey, refused.Reason);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Wrong_length_keys_in_the_initial_data_are_refused(int length)
    {
        var parties = new X3dhParties();
        var data = parties.Initiate().InitialData.Clone();
        data.EphemeralKey = ByteString.CopyFrom(new byte[length]);
        Assert.Equal(X3dhRejection.InvalidEphemeralKey, Assert.Throws<X3dhRejectedException>(() => X3dhResponder.Accept(parties.Bob, parties.BobStore, data)).Reason);

        data = parties.Initiate().InitialData.Clone();
        data.IdentityKey = ByteString.CopyFrom(new byte[length]);
        Assert.Equal(X3dhRejection.InvalidIdentityKey, Assert.Throws<X3dhRejectedException>(() => X3dhResponder.Accept(parties.Bob, parties.BobStore, data)).Reason);

        data = parties.Initiate().InitialData.Clone();
        data.Confirmation = ByteString.CopyFrom(new byte[length]);
        Assert.Equal(X3dhRejection.Malformed, Assert.Throws<X3dhRejectedException>(() => X3dhResponder.Accept(parties.Bob, parties.BobStore, data)).Reason);
    }

    [Fact]
    public void Unknown_prekey_ids_and_versions_are_refused()
    {
        var parties = new X3dhParties();
        var data = parties.Initiate().InitialData.Clone();
        data.SignedPrekeyId = 999;
        Assert.Equal(X3dhRejection.UnknownSignedPrekey, Assert.Throws<X3dhRejectedException>(() => X3dhResponder.Accept(parties.Bob, parties.BobStore, data)).Reason);

        data = parties.Initiate().InitialData.Clone();
        data.OneTimePrekeyId = 999;
        Assert.Equal(X3dhRejection.UnknownOneTimePrekey, Assert.Throws<X3dhRejectedException>(() => X3dhResponder.Accept(parties.Bob, parties.BobStore, data)).Reason);

        data = parties.Initiate().InitialData.Clone();
        data.Version = 2;
        Assert.Equal(X3dhRejection.UnsupportedVersion, Assert.Throws<X3dhRejectedException>(() => X3dhResponder.Accept(parties.Bob, parties.BobStore, data)).Reason);
    }

    [Fact]
    public void A_store_and_an_identity_that_do_not_belong_together_are_a_programming_error()
    {
        var parties = new X3dhParties();
        var alice = parties.Initiate();
        Assert.Throws<ArgumentException>(() => X3dhResponder.AcceptIntro(parties.Alice, parties.BobStore, alice.SealedIntro));
    }

    [Fact]
    public void An_intro_for_someone_else_is_unreadable()
    {
        var parties = new X3dhParties();
        var other = new X3dhParties();
        var alice = parties.Initiate();
        var refused = Assert.Throws<X3dhRejectedException>(() => X3dhResponder.AcceptIntro(other.Bob, other.BobStore, alice.SealedIntro));
        Assert.Equal(X3dhRejection.IntroUnreadable, refused.Reason);
    }

    [Fact]
    public void Sessions_with_themselves_work()
    {
        var parties = new X3dhParties();
        var bundle = parties.Bundle();
        var self = X3dhInitiator.Initiate(parties.Bob, bundle);
        var accepted = X3dhResponder.AcceptIntro(parties.Bob, parties.BobStore, self.SealedIntro);
        AssertSameSecrets(self.Secrets, accepted.Secrets);
    }

    internal static void AssertSameSecrets(X3dhSecrets expected, X3dhSecrets actual)
    {
        Assert.Equal(expected.RootKey, actual.RootKey);
        Assert.Equal(expected.SharedHeaderKey, actual.SharedHeaderKey);
        Assert.Equal(expected.SharedNextHeaderKey, actual.SharedNextHeaderKey);
        Assert.Equal(expected.AssociatedData, actual.AssociatedData);
    }
}
