using Dione.Messaging.Protos;
using Dione.Messaging.Sessions;
using Google.Protobuf;

namespace Dione.Messaging.Tests.Sessions;

public class SessionStateTests
{
    private static readonly DateTimeOffset Now = TestSessions.Epoch;

    [Fact]
    public void Fresh_sessions_round_trip_exactly()
    {
        var options = new SessionOptions { MaxSkip = 77, MaxSkippedKeys = 99, AddressWindow = 5, RatchetInfo = "Custom_v1" };
        var (alice, bob) = TestSessions.CreatePair(options, intro: [7, 7]);
        foreach (var session in new[] { alice, bob })
        {
            var bytes = session.Serialize();
            var restored = DioneSession.Restore(bytes);
            Assert.Equal(bytes, restored.Serialize());
            Assert.Equal(options, restored.Options);
            Assert.Equal(session.PendingAddresses, restored.PendingAddresses);
            Assert.Equal(session.CanSend, restored.CanSend);
        }
    }

    [Fact]
    public void Mid_conversation_restore_on_both_sides_continues_exactly()
    {
        var (alice, bob) = TestSessions.CreatePair();
        var random = new Random(11);
        var held = new List<SealedMessage>();
        for (var round = 0; round < 12; round++)
        {
            var fromAlice = round % 2 == 0;
            var sender = fromAlice ? alice : bob;
            var receiver = fromAlice ? bob : alice;
            for (var i = 0; i < 4; i++)
            {
                var message = sender.Encrypt([(byte)round, (byte)i], Now);
                if (random.Next(3) == 0)
                {
                    held.Add(message); // opened later, from the skipped store of a restored session
                }
                else
                {
                    Assert.Equal([(byte)round, (byte)i], receiver.Open(message.Envelope, Now).Plaintext);
                }
            }

            // Both sides restart from their serialized state; the bytes must be identical after the round trip.
            var aliceBytes = alice.Serialize();
            var bobBytes = bob.Serialize();
            alice = DioneSession.Restore(aliceBytes);
            bob = DioneSession.Restore(bobBytes);
            Assert.Equal(aliceBytes, alice.Serialize());
            Assert.Equal(bobBytes, bob.Serialize());
        }
        Assert.NotEmpty(held);
        foreach (var message in held)
        {
            var receiver = bob.IsPending(message.Address) ? bob : alice;
            Assert.Equal(message.Address, receiver.Open(message.Envelope, Now).Address);
        }
    }

    [Fact]
    public void A_restored_session_and_its_original_behave_identically()
    {
        var (alice, bob) = TestSessions.CreatePair();
        bob.Open(alice.Encrypt([1], Now).Envelope, Now);
        alice.Open(bob.Encrypt([2], Now).Envelope, Now);
        var skippedOver = alice.Encrypt([3], Now);
        var later = alice.Encrypt([4], Now);
        bob.Open(later.Envelope, Now);
        var twin = DioneSession.Restore(bob.Serialize());
        foreach (var session in new[] { bob, twin })
        {
            Assert.Equal([3], session.Open(skippedOver.Envelope, Now).Plaintext);
        }
        Assert.Equal(bob.Serialize(), twin.Serialize());
    }

    [Fact]
    public void Malformed_states_are_refused_cleanly()
    {
        var (alice, bob) = TestSessions.CreatePair();
        bob.Open(alice.Encrypt([1], Now).Envelope, Now);
        bob.Open(alice.Encrypt([2], Now).Envelope, Now);
        var skipped = alice.Encrypt([3], Now);
        bob.Open(alice.Encrypt([4], Now).Envelope, Now);
        _ = skipped;
        var good = bob.Serialize();

        Assert.Throws<InvalidSessionStateException>(() => DioneSession.Restore([0xff, 0xff, 0xff]));
        Assert.Throws<InvalidSessionStateException>(() => DioneSession.Restore([]));
        var state = RatchetSessionState.Parser.ParseFrom(good);
        foreach (var breakIt in new Action<RatchetSessionState>[]
        {
            s => s.Format = 2,
            s => s.RootKey = ByteString.CopyFrom(new byte[31]),
            s => s.DhPrivateKey = ByteString.Empty,
            s => s.Receiving.ChainKey = ByteString.CopyFrom(new byte[33]),
            s => s.Options.AddressWindow = 0,
            s => s.Options.AddressWindow = s.Options.MaxSkip + 1,
            s => s.Options.RatchetInfo = "",
            s => s.Options.EnvelopeLifetimeSeconds = -1,
            s => s.Options = null,
            s => s.Skipped[0].Address = ByteString.CopyFrom(new byte[3]),
            s => s.Skipped.Add(s.Skipped[0]),
            s => s.RemoteDhPublicKey = ByteString.Empty,
            s => s.Intro = ByteString.CopyFrom(new byte[5000]),
        })
        {
            var copy = state.Clone();
            breakIt(copy);
            Assert.Throws<InvalidSessionStateException>(() => DioneSession.Restore(copy.ToByteArray()));
        }

        var random = new Random(99);
        for (var i = 0; i < 3000; i++)
        {
            var bytes = (byte[])good.Clone();
            if (random.Next(2) == 0)
            {
                bytes = bytes[..random.Next(bytes.Length)];
            }
            else
            {
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
            }
            try
            {
                DioneSession.Restore(bytes);
            }
            catch (InvalidSessionStateException)
            {
            }
        }
    }
}
