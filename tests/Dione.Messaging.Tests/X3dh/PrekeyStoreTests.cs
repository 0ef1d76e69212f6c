using Dione.Messaging.X3dh;

namespace Dione.Messaging.Tests.X3dh;

public class PrekeyStoreTests
{
    private static readonly DateTimeOffset Now = X3dhParties.Now;

    [Fact]
    public void Rotation_is_due_after_the_interval_and_not_before_nor_when_the_clock_goes_back()
    {
        var parties = new X3dhParties();
        var store = parties.BobStore;
        Assert.False(store.IsRotationDue(Now));
        Assert.False(store.IsRotationDue(Now + TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1)));
        Assert.True(store.IsRotationDue(Now + TimeSpan.FromDays(7)));
        Assert.False(store.IsRotationDue(Now - TimeSpan.FromDays(30)));
    }

    [Fact]
    public void Rotation_retires_the_old_key_which_still_answers_during_the_grace_period_and_is_gone_after()
    {
        var parties = new X3dhParties();
        var store = parties.BobStore;
        var oldId = store.CurrentSignedPrekey.Id;
        var lateIntro = parties.Initiate(withOneTimePrekey: false);

        var rotatedAt = Now + TimeSpan.FromDays(7);
        var next = store.RotateSignedPrekey(parties.Bob, rotatedAt);
        Assert.NotEqual(oldId, next.Id);
        Assert.Same(next, store.CurrentSignedPrekey);
        Assert.False(store.IsRotationDue(rotatedAt));
        Assert.Equal(oldId, Assert.Single(store.RetiredSignedPrekeys).Id);
        Assert.Equal(rotatedAt, store.RetiredSignedPrekeys[0].RetiredAt);

        Assert.Equal(0, store.PruneExpired(rotatedAt + TimeSpan.FromDays(14) - TimeSpan.FromSeconds(1)));
        var keptBundle = X3dhResponder.AcceptIntro(parties.Bob, store, lateIntro.SealedIntro);
        Assert.Equal(oldId, keptBundle.SignedPrekeyId);

        var tooLate = parties.Initiate(withOneTimePrekey: false, now: rotatedAt);
        Assert.Equal(1, store.PruneExpired(rotatedAt + TimeSpan.FromDays(14)));
        Assert.Empty(store.RetiredSignedPrekeys);
        // The new bundle uses the new key; an intro made from the old one is now unreadable.
        var refused = Assert.Throws<X3dhRejectedException>(() => X3dhResponder.AcceptIntro(parties.Bob, store, lateIntro.SealedIntro));
        Assert.Equal(X3dhRejection.IntroUnreadable, refused.Reason);
        Assert.Equal(next.Id, X3dhResponder.AcceptIntro(parties.Bob, store, tooLate.SealedIntro).SignedPrekeyId);
    }

    [Fact]
    public void A_full_replay_memory_refuses_new_sessions_and_makes_rotation_due()
    {
        var parties = new X3dhParties(oneTimePrekeys: 0, policy: new PrekeyPolicy { MaxRememberedEphemeralKeys = 2 });
        X3dhResponder.AcceptIntro(parties.Bob, parties.BobStore, parties.Initiate(false).SealedIntro);
        Assert.False(parties.BobStore.IsRotationDue(Now));
        X3dhResponder.AcceptIntro(parties.Bob, parties.BobStore, parties.Initiate(false).SealedIntro);
        Assert.True(parties.BobStore.IsRotationDue(Now));
        var refused = Assert.Throws<X3dhRejectedException>(() => X3dhResponder.AcceptIntro(parties.Bob, parties.BobStore, parties.Initiate(false).SealedIntro));
        Assert.Equal(X3dhRejection.ReplayCacheFull, refused.Reason);
        parties.BobStore.RotateSignedPrekey(parties.Bob, Now);
        X3dhResponder.AcceptIntro(parties.Bob, parties.BobStore, parties.Initiate(false).SealedIntro);
    }

    [Fact]
    public void The_state_survives_serialisation_including_what_was_consumed_and_remembered()
    {
        var parties = new X3dhParties(oneTimePrekeys: 3);
        var store = parties.BobStore;
        var withOneTime = parties.Initiate();
        var withoutOneTime = parties.Initiate(false);
        X3dhResponder.AcceptIntro(parties.Bob, store, withOneTime.SealedIntro);
        X3dhResponder.AcceptIntro(parties.Bob, store, withoutOneTime.SealedIntro);
        store.RotateSignedPrekey(parties.Bob, Now + TimeSpan.FromDays(8));
        var pending = X3dhInitiator.Initiate(parties.Alice, parties.Bundle(now: Now + TimeSpan.FromDays(8)));

        var restored = PrekeyStore.FromBytes(store.ToBytes());
        Assert.Equal(store.ToBytes(), restored.ToBytes());
        Assert.Equal(store.OneTimePrekeyIds, restored.OneTimePrekeyIds);
        Assert.Equal(store.CurrentSignedPrekey.KeyPair.PublicKey, restored.CurrentSignedPrekey.KeyPair.PublicKey);
        Assert.Equal(store.CurrentSignedPrekey.Signature.ToArray(), restored.CurrentSignedPrekey.Signature.ToArray());
        Assert.Equal(store.RetiredSignedPrekeys[0].RetiredAt, restored.RetiredSignedPrekeys[0].RetiredAt);

        Assert.Equal(X3dhRejection.UnknownOneTimePrekey,
            Assert.Throws<X3dhRejectedException>(() => X3dhResponder.AcceptIntro(parties.Bob, restored, withOneTime.SealedIntro)).Reason);
        Assert.Equal(X3dhRejection.ReplayedEphemeralKey,
            Assert.Throws<X3dhRejectedException>(() => X3dhResponder.AcceptIntro(parties.Bob, restored, withoutOneTime.SealedIntro)).Reason);
        var accepted = X3dhResponder.AcceptIntro(parties.Bob, restored, pending.SealedIntro);
        X3dhAgreementTests.AssertSameSecrets(pending.Secrets, accepted.Secrets);

        // New ids continue after the restored ones.
        var newKeys = restored.GenerateOneTimePrekeys(parties.Bob, 2);
        Assert.All(newKeys, key => Assert.True(key.Id > 3));
    }

    [Theory]
    [InlineData(new byte[] { 0xff })]
    [InlineData(new byte[] { 0x08, 0x02 })]
    [InlineData(new byte[0])]
    public void CorruptStateIsAFormatException(byte[] bytes)
    {
        Assert.Throws<FormatException>(() => PrekeyStore.FromBytes(bytes));
    }

    [Fact]
    public void State_with_repeated_or_reusable_ids_is_a_format_exception()
    {
        var parties = new X3dhParties(oneTimePrekeys: 2);
        var state = Protos.PrekeyStoreState.Parser.ParseFrom(parties.BobStore.ToBytes());
        var repeated = state.Clone();
        repeated.OneTimePrekeys.Add(repeated.OneTimePrekeys[0]);
        Assert.Throws<FormatException>(() => PrekeyStore.FromBytes(Google.Protobuf.MessageExtensions.ToByteArray(repeated)));
        var reusable = state.Clone();
        reusable.NextOneTimePrekeyId = 1;
        Assert.Throws<FormatException>(() => PrekeyStore.FromBytes(Google.Protobuf.MessageExtensions.ToByteArray(reusable)));
        var shortKey = state.Clone();
        shortKey.CurrentSignedPrekey.PrivateKey = Google.Protobuf.ByteString.CopyFrom(new byte[31]);
        Assert.Throws<FormatException>(() => PrekeyStore.FromBytes(Google.Protobuf.MessageExtensions.ToByteArray(shortKey)));
    }

    [Fact]
    public void One_time_prekeys_are_capped_and_identity_checked()
    {
        var parties = new X3dhParties(oneTimePrekeys: 0, policy: new PrekeyPolicy { MaxOneTimePrekeys = 10 });
        var published = parties.BobStore.GenerateOneTimePrekeys(parties.Bob, 10);
        Assert.Equal(10, published.Select(key => key.Id).Distinct().Count());
        Assert.Throws<InvalidOperationException>(() => parties.BobStore.GenerateOneTimePrekeys(parties.Bob, 1));
        Assert.Throws<ArgumentException>(() => parties.BobStore.RotateSignedPrekey(parties.Alice, Now));
        Assert.Throws<KeyNotFoundException>(() => parties.BobStore.CreateBundle(12345));
    }
}
