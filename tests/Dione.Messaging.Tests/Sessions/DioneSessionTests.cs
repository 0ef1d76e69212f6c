using System.Text;
using Dione.Messaging.Envelopes;
using Dione.Messaging.Ratchet;
using Dione.Messaging.Sessions;
using Google.Protobuf;

namespace Dione.Messaging.Tests.Sessions;

public class DioneSessionTests
{
    private static readonly DateTimeOffset Now = TestSessions.Epoch;

    [Fact]
    public void Alice_and_bob_exchange_messages_at_the_addresses_the_receiver_watches()
    {
        var (alice, bob) = TestSessions.CreatePair();
        for (var round = 0; round < 5; round++)
        {
            var (sender, receiver) = round % 2 == 0 ? (alice, bob) : (bob, alice);
            for (var i = 0; i < 3; i++)
            {
                var text = Encoding.UTF8.GetBytes($"round {round} message {i}");
                var sealedMessage = sender.Encrypt(text, Now);
                Assert.Contains(receiver.PendingAddresses, a => a.AsSpan().SequenceEqual(sealedMessage.Address));
                var opened = receiver.Open(sealedMessage.ToBytes(), Now);
                Assert.Equal(text, opened.Plaintext);
                Assert.Equal(sealedMessage.Address, opened.Address);
                Assert.Equal(sealedMessage.DeletionToken, opened.DeletionToken);
            }
        }
    }

    [Fact]
    public void The_responder_cannot_send_before_the_first_message()
    {
        var (alice, bob) = TestSessions.CreatePair();
        Assert.False(bob.CanSend);
        Assert.Throws<InvalidOperationException>(() => bob.Encrypt([1], Now));
        bob.Open(alice.Encrypt([1], Now).Envelope, Now);
        Assert.True(bob.CanSend);
    }

    [Fact]
    public void The_intro_is_kept_until_the_first_reply_is_opened_and_is_in_no_envelope()
    {
        var intro = Encoding.ASCII.GetBytes("x3dh initial data");
        var (alice, bob) = TestSessions.CreatePair(intro: intro);
        var first = alice.Encrypt([1], Now);
        var second = alice.Encrypt([2], Now);
        Assert.True(first.Envelope.Intro.IsEmpty);
        Assert.True(second.Envelope.Intro.IsEmpty);
        Assert.Equal(intro, alice.PendingIntro);
        bob.Open(second.Envelope, Now);
        Assert.True(bob.Encrypt([3], Now).Envelope.Intro.IsEmpty);
        var restored = DioneSession.Restore(alice.Serialize());
        Assert.Equal(intro, restored.PendingIntro);
        Assert.True(restored.Encrypt([6], Now).Envelope.Intro.IsEmpty);
        var reply = bob.Encrypt([4], Now);
        alice.Open(reply.Envelope, Now);
        Assert.Null(alice.PendingIntro);
        Assert.True(alice.Encrypt([5], Now).Envelope.Intro.IsEmpty);
    }

    [Fact]
    public void A_replayed_envelope_is_refused_and_leaves_the_state_alone()
    {
        var (alice, bob) = TestSessions.CreatePair();
        var message = alice.Encrypt([1, 2, 3], Now);
        bob.Open(message.Envelope, Now);
        var before = bob.Serialize();
        Assert.Throws<AddressNotPendingException>(() => bob.Open(message.Envelope, Now));
        Assert.Equal(before, bob.Serialize());

        // Replay of a message opened from the skipped store, too.
        var m1 = alice.Encrypt([1], Now);
        var m2 = alice.Encrypt([2], Now);
        bob.Open(m2.Envelope, Now);
        bob.Open(m1.Envelope, Now);
        Assert.Throws<AddressNotPendingException>(() => bob.Open(m1.Envelope, Now));
        Assert.Throws<AddressNotPendingException>(() => bob.Open(m2.Envelope, Now));
    }

    [Fact]
    public void An_envelope_of_another_wire_version_is_refused_as_such_and_consumes_nothing()
    {
        var (alice, bob) = TestSessions.CreatePair();
        var message = alice.Encrypt([1, 2, 3], Now);
        var newer = message.Envelope.Clone();
        newer.Version = EnvelopeCodec.Version + 1;
        var before = bob.Serialize();

        var refused = Assert.Throws<UnsupportedEnvelopeVersionException>(() => bob.Open(newer.ToByteArray(), Now));

        Assert.Equal(EnvelopeCodec.Version + 1, refused.Version);
        Assert.Equal(message.Address, refused.Address);
        Assert.Equal("envelope version 3 is not supported (this code reads version 2)", refused.Message);
        Assert.Equal(before, bob.Serialize());
        Assert.Equal([1, 2, 3], bob.Open(message.Envelope, Now).Plaintext);
    }

    [Fact]
    public void An_envelope_beyond_the_window_is_not_pending_until_the_window_reaches_it()
    {
        var options = new SessionOptions { AddressWindow = 4 };
        var (alice, bob) = TestSessions.CreatePair(options);
        var sent = Enumerable.Range(0, 6).Select(i => alice.Encrypt([(byte)i], Now)).ToList();
        Assert.False(bob.IsPending(sent[5].Address));
        Assert.Equal([3], bob.Open(sent[3].Envelope, Now).Plaintext);
        Assert.True(bob.IsPending(sent[5].Address));
        Assert.Equal([5], bob.Open(sent[5].Envelope, Now).Plaintext);
        foreach (var i in new[] { 0, 1, 2, 4 })
        {
            Assert.Equal([(byte)i], bob.Open(sent[i].Envelope, Now).Plaintext);
        }
    }

    [Fact]
    public void Recovery_addresses_get_past_a_run_of_lost_envelopes_longer_than_the_window()
    {
        var options = new SessionOptions { AddressWindow = 4, MaxSkip = 40 };
        var (alice, bob) = TestSessions.CreatePair(options);
        var sent = Enumerable.Range(0, 20).Select(i => alice.Encrypt([(byte)i], Now)).ToList();
        var survivor = sent[12]; // 0..11 lost
        Assert.DoesNotContain(bob.PendingAddresses, a => a.AsSpan().SequenceEqual(survivor.Address));
        var probe = bob.RecoveryAddresses(16);
        Assert.Equal(16, probe.Count); // before its first message Bob has only the next-chain window to look beyond
        Assert.Contains(probe, a => a.AsSpan().SequenceEqual(survivor.Address));
        Assert.Equal([12], bob.Open(survivor.Envelope, Now).Plaintext);
        for (var i = 13; i < 20; i++)
        {
            Assert.Contains(bob.PendingAddresses, a => a.AsSpan().SequenceEqual(sent[i].Address));
            Assert.Equal([(byte)i], bob.Open(sent[i].Envelope, Now).Plaintext);
        }

        // The reach ends at MAX_SKIP: nothing further is offered or opened.
        var far = Enumerable.Range(0, 60).Select(i => alice.Encrypt([(byte)i], Now)).ToList();
        Assert.Equal(2 * (40 + 1 - 4), bob.RecoveryAddresses(1000).Count);
        Assert.Throws<AddressNotPendingException>(() => bob.Open(far[45].Envelope, Now));
        Assert.Equal([40], bob.Open(far[40].Envelope, Now).Plaintext);
    }

    [Fact]
    public void Exceeding_max_skip_is_refused_cleanly_and_the_session_goes_on()
    {
        var options = new SessionOptions { MaxSkip = 50, AddressWindow = 8 };
        var (alice, bob) = TestSessions.CreatePair(options);
        var chain = Enumerable.Range(0, 100).Select(i => alice.Encrypt([(byte)i], Now)).ToList();
        bob.Open(chain[0].Envelope, Now);
        alice.Open(bob.Encrypt([200], Now).Envelope, Now);
        var nextChain = alice.Encrypt([201], Now); // pn = 100: Bob would have to skip 99 keys
        Assert.Contains(bob.PendingAddresses, a => a.AsSpan().SequenceEqual(nextChain.Address));
        var before = bob.Serialize();
        Assert.Throws<TooManySkippedMessagesException>(() => bob.Open(nextChain.Envelope, Now));
        Assert.Equal(before, bob.Serialize());

        // In-window messages still open; once only 50 remain to skip, the next chain's message opens too.
        for (var i = 1; i < 50; i++)
        {
            Assert.Equal([(byte)i], bob.Open(chain[i].Envelope, Now).Plaintext);
        }
        Assert.Equal([201], bob.Open(nextChain.Envelope, Now).Plaintext);
        Assert.Equal(50, bob.Ratchet.SkippedCount);
        Assert.Equal([77], bob.Open(chain[77].Envelope, Now).Plaintext);
    }

    [Fact]
    public void Skipped_keys_are_bounded_with_the_oldest_evicted()
    {
        var options = new SessionOptions { MaxSkip = 100, MaxSkippedKeys = 10, AddressWindow = 8 };
        var (alice, bob) = TestSessions.CreatePair(options);
        var sent = Enumerable.Range(0, 30).Select(i => alice.Encrypt([(byte)i], Now)).ToList();
        for (var i = 7; i < 30; i += 7)
        {
            bob.Open(sent[i].Envelope, Now); // skips 6 each time
        }
        Assert.Equal(10, bob.Ratchet.SkippedCount);
        Assert.Throws<AddressNotPendingException>(() => bob.Open(sent[0].Envelope, Now)); // evicted
        Assert.Equal([27], bob.Open(sent[27].Envelope, Now).Plaintext); // kept
    }

    [Fact]
    public void Skipped_keys_expire_with_their_addresses()
    {
        var options = new SessionOptions { SkippedKeyLifetime = TimeSpan.FromHours(1) };
        var (alice, bob) = TestSessions.CreatePair(options);
        var first = alice.Encrypt([0], Now);
        var second = alice.Encrypt([1], Now);
        bob.Open(second.Envelope, Now);
        Assert.True(bob.IsPending(first.Address));
        Assert.Equal(0, bob.ExpirePending(Now + TimeSpan.FromMinutes(59)));
        Assert.Equal(1, bob.ExpirePending(Now + TimeSpan.FromHours(1)));
        Assert.False(bob.IsPending(first.Address));
        Assert.Throws<AddressNotPendingException>(() => bob.Open(first.Envelope, Now + TimeSpan.FromHours(2)));
    }

    [Fact]
    public void Tampering_with_any_byte_of_header_body_or_deletion_hash_is_detected_and_changes_nothing()
    {
        var (alice, bob) = TestSessions.CreatePair();
        bob.Open(alice.Encrypt([9], Now).Envelope, Now);
        alice.Open(bob.Encrypt([8], Now).Envelope, Now);
        var message = alice.Encrypt(Encoding.UTF8.GetBytes("tamper with me"), Now);
        var before = bob.Serialize();
        var encoded = message.Envelope;
        foreach (var field in new[] { "header", "body", "deletion_hash" })
        {
            var length = field switch { "header" => encoded.Header.Length, "body" => encoded.Body.Length, _ => encoded.DeletionHash.Length };
            for (var i = 0; i < length; i++)
            {
                var copy = encoded.Clone();
                var bytes = field switch { "header" => copy.Header.ToByteArray(), "body" => copy.Body.ToByteArray(), _ => copy.DeletionHash.ToByteArray() };
                bytes[i] ^= (byte)(1 << (i % 8));
                var value = Google.Protobuf.ByteString.CopyFrom(bytes);
                switch (field)
                {
                    case "header": copy.Header = value; break;
                    case "body": copy.Body = value; break;
                    default: copy.DeletionHash = value; break;
                }
                Assert.Throws<MessageAuthenticationException>(() => bob.Open(copy, Now));
            }
        }
        for (var i = 0; i < 32; i++)
        {
            var copy = encoded.Clone();
            var bytes = copy.Address.ToByteArray();
            bytes[i] ^= 0x01;
            copy.Address = Google.Protobuf.ByteString.CopyFrom(bytes);
            Assert.Throws<AddressNotPendingException>(() => bob.Open(copy, Now));
        }
        Assert.Equal(before, bob.Serialize());
        Assert.Equal("tamper with me", Encoding.UTF8.GetString(bob.Open(encoded, Now).Plaintext));
    }

    [Fact]
    public void An_envelope_moved_to_another_pending_address_is_rejected()
    {
        var (alice, bob) = TestSessions.CreatePair();
        var first = alice.Encrypt([1], Now);
        var second = alice.Encrypt([2], Now);
        var moved = first.Envelope.Clone();
        moved.Address = second.Envelope.Address;
        Assert.Throws<MessageAuthenticationException>(() => bob.Open(moved, Now));
        Assert.Equal([2], bob.Open(second.Envelope, Now).Plaintext);
    }

    [Fact]
    public void Plaintexts_up_to64_ki_b_round_trip_in_their_buckets()
    {
        var (alice, bob) = TestSessions.CreatePair();
        var random = new Random(5);
        foreach (var length in new[] { 0, 1, 256, 257, 1024, 4097, 65536 })
        {
            var text = new byte[length];
            random.NextBytes(text);
            var message = alice.Encrypt(text, Now);
            Assert.Equal(PaddingBuckets.BucketFor(length) + 16, message.Envelope.Body.Length);
            Assert.Equal(text, bob.Open(message.ToBytes(), Now).Plaintext);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => alice.Encrypt(new byte[65537], Now));
    }

    [Fact]
    public void Envelopes_carry_expiry_and_the_deletion_hash_of_the_token()
    {
        var (alice, _) = TestSessions.CreatePair(new SessionOptions { EnvelopeLifetime = TimeSpan.FromDays(2) });
        var message = alice.Encrypt([1], Now);
        Assert.Equal((ulong)(Now + TimeSpan.FromDays(2)).ToUnixTimeSeconds(), message.Envelope.ExpiresUnixSeconds);
        Assert.Equal(Now + TimeSpan.FromDays(2), message.ExpiresAt);
        Assert.True(Addressing.DeletionTokens.Matches(message.DeletionToken, message.Envelope.DeletionHash.Span));
        Assert.Equal(EnvelopeCodec.Version, message.Envelope.Version);
    }
}
