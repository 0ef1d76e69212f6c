using System.Diagnostics;
using Dione.Messaging.Ratchet;
using Dione.Messaging.Sessions;
using Dione.Messaging.Tests.Sessions;
using Xunit.Abstractions;

namespace Dione.Messaging.Tests.Properties;

public class ConversationPropertyTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = TestSessions.Epoch;

    [Fact]
    public void Thousands_of_random_conversations_agree_on_every_address_and_plaintext()
    {
        var stopwatch = Stopwatch.StartNew();
        var addresses = new HashSet<string>();
        long sent = 0, dropped = 0, duplicates = 0, replays = 0, dhSteps = 0, recoveries = 0;
        const int conversations = 1200;
        for (var seed = 0; seed < conversations; seed++)
        {
            var window = new[] { 2, 3, 4, 8 }[seed % 4];
            var options = new SessionOptions { AddressWindow = window, MaxSkip = 128, MaxSkippedKeys = 2000 };
            var simulator = new ConversationSimulator(seed, addresses, options);
            try
            {
                simulator.Run(steps: 30 + (seed % 41));
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"conversation seed {seed} (window {window}) failed: {e}");
            }
            sent += simulator.Sent;
            dropped += simulator.Dropped;
            duplicates += simulator.RefusedDuplicates;
            replays += simulator.RefusedReplays;
            dhSteps += simulator.DhSteps;
            recoveries += simulator.RecoveryOpens;
        }
        output.WriteLine($"{conversations} conversations, {sent} messages ({dropped} dropped), {dhSteps} DH steps, " +
            $"{duplicates} duplicates and {replays} replays refused, {recoveries} opened via recovery addresses, {stopwatch.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(sent, addresses.Count);
        Assert.True(dhSteps > conversations * 5, "conversations should cross many DH steps");
        Assert.True(duplicates > 0 && replays > 0 && dropped > 0);
    }

    [Fact]
    public void Ten_thousand_messages_in_one_direction_with_reordering_inside_the_window()
    {
        var (alice, bob) = TestSessions.CreatePair();
        var random = new Random(10_000);
        var seen = new HashSet<string>();
        for (var batch = 0; batch < 10_000 / 8; batch++)
        {
            var messages = Enumerable.Range(0, 8).Select(i => (Text: BitConverter.GetBytes(batch * 8 + i), Sealed: alice.Encrypt(BitConverter.GetBytes(batch * 8 + i), Now))).ToList();
            var pending = bob.PendingAddresses.Select(TestSessions.Hex).ToHashSet();
            foreach (var (text, sealedMessage) in messages.OrderBy(_ => random.Next()))
            {
                Assert.Contains(TestSessions.Hex(sealedMessage.Address), pending);
                Assert.True(seen.Add(TestSessions.Hex(sealedMessage.Address)));
                Assert.Equal(text, bob.Open(sealedMessage.Envelope, Now).Plaintext);
            }
        }
        Assert.Equal(10_000u, alice.Ratchet.Sending!.Number);
        Assert.Equal(0, bob.Ratchet.SkippedCount);
    }

    [Fact]
    public void Ten_thousand_alternating_messages_each_with_a_dh_step()
    {
        var (alice, bob) = TestSessions.CreatePair();
        var seen = new HashSet<string>();
        var rootKeys = new HashSet<string>();
        for (var i = 0; i < 10_000; i++)
        {
            var (sender, receiver) = i % 2 == 0 ? (alice, bob) : (bob, alice);
            var text = BitConverter.GetBytes(i);
            var sealedMessage = sender.Encrypt(text, Now);
            Assert.True(seen.Add(TestSessions.Hex(sealedMessage.Address)));
            Assert.True(receiver.IsPending(sealedMessage.Address));
            Assert.Equal(text, receiver.Open(sealedMessage.Envelope, Now).Plaintext);
            Assert.True(rootKeys.Add(TestSessions.Hex(receiver.Ratchet.RootKey)), "every message should have caused a fresh DH step");
        }
    }

    [Fact]
    public void A_dropped_message_never_blocks_later_ones()
    {
        var random = new Random(77);
        for (var trial = 0; trial < 200; trial++)
        {
            var window = random.Next(1, 9);
            var (alice, bob) = TestSessions.CreatePair(new SessionOptions { AddressWindow = window }, random);
            var run = 0;
            for (var i = 0; i < 60; i++)
            {
                var message = alice.Encrypt([(byte)i], Now);
                // Drop at random, but never W in a row: every survivor is then within the window of the last one opened.
                if (run < window - 1 && random.Next(3) == 0)
                {
                    run++;
                    continue;
                }
                run = 0;
                Assert.True(bob.IsPending(message.Address), $"trial {trial}: message {i} not in the window (W = {window})");
                Assert.Equal([(byte)i], bob.Open(message.Envelope, Now).Plaintext);
            }
        }
    }

    [Fact]
    public void A_lost_run_of_any_length_is_bridged_by_the_peers_next_dh_step()
    {
        var (alice, bob) = TestSessions.CreatePair(new SessionOptions { AddressWindow = 4 });
        bob.Open(alice.Encrypt([0], Now).Envelope, Now);
        var lost = Enumerable.Range(0, 30).Select(_ => alice.Encrypt([1], Now)).ToList(); // all but the last lost
        alice.Open(bob.Encrypt([2], Now).Envelope, Now);
        var nextChain = alice.Encrypt([3], Now);
        Assert.True(bob.IsPending(nextChain.Address));
        Assert.Equal([3], bob.Open(nextChain.Envelope, Now).Plaintext);
        Assert.True(bob.IsPending(lost[^1].Address)); // PN told Bob how far the old chain went
        Assert.Equal([1], bob.Open(lost[^1].Envelope, Now).Plaintext);
    }

    [Fact]
    public void Every_address_and_message_number_is_in_the_window_before_the_envelope_arrives()
    {
        // Strict form of "the receiver never needs to read a message to find the next one": for a sender that has
        // sent fewer than W messages beyond what the receiver has opened, the next address is already pending, in the
        // current chain and across DH steps (first W messages of the peer's next chain).
        var random = new Random(8);
        var (alice, bob) = TestSessions.CreatePair(new SessionOptions { AddressWindow = 8 }, random);
        for (var turn = 0; turn < 300; turn++)
        {
            var (sender, receiver) = turn % 2 == 0 ? (alice, bob) : (bob, alice);
            var burst = Enumerable.Range(0, random.Next(1, 9)).Select(i => sender.Encrypt([(byte)i], Now)).ToList();
            var pending = receiver.PendingAddresses.Select(TestSessions.Hex).ToHashSet();
            Assert.All(burst, m => Assert.Contains(TestSessions.Hex(m.Address), pending));
            foreach (var message in burst.OrderBy(_ => random.Next()))
            {
                receiver.Open(message.Envelope, Now);
            }
        }
    }

    [Fact]
    public void Addresses_of_many_sessions_never_collide_or_repeat()
    {
        var all = new HashSet<string>();
        var random = new Random(4);
        for (var s = 0; s < 200; s++)
        {
            var (alice, bob) = TestSessions.CreatePair(random: random);
            for (var i = 0; i < 20; i++)
            {
                var (sender, receiver) = (i / 5) % 2 == 0 ? (alice, bob) : (bob, alice);
                var message = sender.Encrypt([1], Now);
                Assert.True(all.Add(TestSessions.Hex(message.Address)));
                receiver.Open(message.Envelope, Now);
            }
            // Also the pending (not yet used) addresses of both sides are distinct from everything used so far.
            foreach (var pending in alice.PendingAddresses.Concat(bob.PendingAddresses))
            {
                Assert.DoesNotContain(TestSessions.Hex(pending), all);
            }
        }
        Assert.Equal(4000, all.Count);
    }

    [Fact]
    public void The_deletion_token_is_known_to_both_parties_and_differs_per_message()
    {
        var (alice, bob) = TestSessions.CreatePair();
        var tokens = new HashSet<string>();
        for (var i = 0; i < 50; i++)
        {
            var (sender, receiver) = i % 4 < 2 ? (alice, bob) : (bob, alice);
            var message = sender.Encrypt([1], Now);
            var opened = receiver.Open(message.Envelope, Now);
            Assert.Equal(message.DeletionToken, opened.DeletionToken);
            Assert.True(tokens.Add(TestSessions.Hex(opened.DeletionToken)));
            Assert.NotEqual(opened.DeletionToken, message.Envelope.DeletionHash.ToByteArray());
        }
    }
}
