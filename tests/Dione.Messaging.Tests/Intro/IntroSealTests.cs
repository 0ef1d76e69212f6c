using Dione.Messaging.Intro;
using Dione.Messaging.Tests.X3dh;
using Dione.Messaging.X3dh;

namespace Dione.Messaging.Tests.Intro;

public class IntroSealTests
{
    [Fact]
    public void The_sealed_intro_is_the_ephemeral_key_then_ciphertext_and_hides_the_sender()
    {
        var parties = new X3dhParties();
        var alice = parties.Initiate();
        var sealedIntro = alice.SealedIntro.ToArray();
        var plaintext = Google.Protobuf.MessageExtensions.ToByteArray(alice.InitialData);
        Assert.Equal(plaintext.Length + IntroSeal.Overhead, sealedIntro.Length);
        Assert.Equal(alice.InitialData.EphemeralKey.ToByteArray(), sealedIntro[..32]);
        Assert.Equal(-1, sealedIntro.AsSpan().IndexOf(parties.Alice.PublicKey.Ed25519PublicKey));
        Assert.Equal(-1, sealedIntro.AsSpan().IndexOf(parties.Alice.PublicKey.X25519PublicKey));
        Assert.Equal(-1, sealedIntro.AsSpan().IndexOf(plaintext.AsSpan(0, 16)));
    }

    [Fact]
    public void Changing_any_byte_of_the_intro_is_detected_and_consumes_nothing()
    {
        var parties = new X3dhParties();
        var sealedIntro = parties.Initiate().SealedIntro.ToArray();
        var count = parties.BobStore.OneTimePrekeyCount;
        for (var i = 0; i < sealedIntro.Length; i++)
        {
            var tampered = (byte[])sealedIntro.Clone();
            tampered[i] ^= (byte)(1 << (i % 8));
            var refused = Assert.Throws<X3dhRejectedException>(() => X3dhResponder.AcceptIntro(parties.Bob, parties.BobStore, tampered));
            Assert.Contains(refused.Reason, new[] { X3dhRejection.IntroUnreadable, X3dhRejection.InvalidEphemeralKey });
        }
        Assert.Equal(count, parties.BobStore.OneTimePrekeyCount);
        X3dhResponder.AcceptIntro(parties.Bob, parties.BobStore, sealedIntro);
    }

    [Fact]
    public void Truncated_extended_and_oversized_intros_are_refused()
    {
        var parties = new X3dhParties();
        var sealedIntro = parties.Initiate().SealedIntro.ToArray();
        foreach (var length in new[] { 0, 31, 32, 47, sealedIntro.Length - 1 })
        {
            Assert.Throws<X3dhRejectedException>(() => X3dhResponder.AcceptIntro(parties.Bob, parties.BobStore, sealedIntro[..length]));
        }
        Assert.Throws<X3dhRejectedException>(() => X3dhResponder.AcceptIntro(parties.Bob, parties.BobStore, [.. sealedIntro, 0]));
        Assert.Equal(X3dhRejection.Malformed,
            Assert.Throws<X3dhRejectedException>(() => X3dhResponder.AcceptIntro(parties.Bob, parties.BobStore, new byte[IntroSeal.MaxSealedBytes + 1])).Reason);
    }

    [Fact]
    public void Two_intros_to_the_same_recipient_share_no_bytes_beyond_chance()
    {
        var parties = new X3dhParties();
        var first = parties.Initiate().SealedIntro.ToArray();
        var second = parties.Initiate().SealedIntro.ToArray();
        Assert.Equal(first.Length, second.Length);
        Assert.True(first.Zip(second).Count(pair => pair.First == pair.Second) < first.Length / 8);
    }
}
