using Dione.Messaging.Sessions;
using Dione.Messaging.Tests.Sessions;
using Xunit.Abstractions;

namespace Dione.Messaging.Tests.Properties;

/// <summary>
/// Forward secrecy and post-compromise security of addresses and message keys, checked by enumerating what a captured
/// state yields (<see cref="AttackerKnowledge"/>) and comparing with every recorded address and message key.
/// </summary>
public class CompromisePropertyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 7)]
    [InlineData(2, 10)]
    [InlineData(3, 13)]
    public void A_state_captured_at_time_t_yields_no_earlier_address_or_message_key(int seed, int captureTurn)
    {
        var random = new Random(seed);
        var conversation = new RecordingConversation(random);
        var heldBack = new List<RecordedMessage>();
        for (var turn = 0; turn < captureTurn; turn++)
        {
            // Bursts with some messages held back (delivered later, or never): skipped keys exist at capture time.
            var sent = conversation.Send(turn % 2 == 0, random.Next(1, 7), i => random.Next(4) == 0);
            heldBack.AddRange(sent.Where(r => !r.Sealed.Opened));
            foreach (var late in heldBack.Where(r => !r.Sealed.Opened && random.Next(3) == 0).ToList())
            {
                if ((late.FromAlice ? conversation.Bob : conversation.Alice).IsPending(Convert.FromHexString(late.Address)))
                {
                    conversation.Deliver(late);
                }
            }
        }
        var captured = conversation.Bob.Serialize();
        var skippedAtCapture = conversation.Bob.Ratchet.Skipped.Select(s => s.Address.ToString()).ToHashSet();
        var openedAtCapture = conversation.Messages.Where(m => m.Sealed.Opened).Select(m => m.Address).ToHashSet();
        var before = conversation.Messages.Count;

        // Keep talking so that later public keys are on the wire too.
        for (var turn = 0; turn < 4; turn++)
        {
            conversation.Send(conversation.Turn % 2 == 0, random.Next(1, 4));
        }
        var knowledge = AttackerKnowledge.FromState(captured, conversation.PublicKeysOnTheWire, depth: 2, walk: 48);

        // Earlier = what Bob had sent, or opened, by the capture. Alice's messages he had not opened are not earlier for
        // him: they are still to come (in his windows, or skipped: the documented exception, kept until they arrive or expire).
        var earlier = conversation.Messages.Take(before).Where(m => !m.FromAlice || openedAtCapture.Contains(m.Address)).ToList();
        Assert.True(earlier.Count > 10);
        Assert.DoesNotContain(earlier, m => skippedAtCapture.Contains(m.Address));
        foreach (var message in earlier)
        {
            Assert.DoesNotContain(message.Address, knowledge.Addresses);
            Assert.DoesNotContain(message.MessageKey, knowledge.MessageKeys);
        }

        // Not vacuous: the captured state does yield its pending addresses, the skipped messages' keys, and what comes next.
        var restored = DioneSession.Restore(captured);
        Assert.All(restored.PendingAddresses, a => Assert.Contains(TestSessions.Hex(a), knowledge.Addresses));
        Assert.All(conversation.Messages.Where(m => skippedAtCapture.Contains(m.Address)), m => Assert.Contains(m.MessageKey, knowledge.MessageKeys));
        var next = conversation.Messages[before];
        Assert.Contains(next.Address, knowledge.Addresses);
        output.WriteLine($"capture at turn {captureTurn}: {earlier.Count} earlier messages checked against {knowledge.Addresses.Count} derivable addresses and {knowledge.MessageKeys.Count} message keys; {skippedAtCapture.Count} skipped kept");
    }

    [Theory]
    [InlineData(4, 6)]
    [InlineData(5, 9)]
    public void After_fresh_dh_steps_a_captured_state_yields_no_later_address_or_key(int seed, int captureTurn)
    {
        var random = new Random(seed);
        var conversation = new RecordingConversation(random);
        for (var turn = 0; turn < captureTurn; turn++)
        {
            conversation.Send(turn % 2 == 0, random.Next(1, 4));
        }
        // Capture Bob right after he opened Alice's turn (captureTurn - 1 is Alice's when captureTurn is odd, Bob's when even).
        var captured = conversation.Bob.Serialize();
        const int after = 8;
        for (var turn = 0; turn < after; turn++)
        {
            conversation.Send(conversation.Turn % 2 == 0, 2);
        }
        var knowledge = AttackerKnowledge.FromState(captured, conversation.PublicKeysOnTheWire, depth: 2, walk: 48);
        var lastAddressTurn = conversation.Messages.Where(m => m.Turn >= captureTurn && knowledge.Addresses.Contains(m.Address)).Select(m => m.Turn).DefaultIfEmpty(-1).Max();
        var lastKeyTurn = conversation.Messages.Where(m => m.Turn >= captureTurn && knowledge.MessageKeys.Contains(m.MessageKey)).Select(m => m.Turn).DefaultIfEmpty(-1).Max();
        output.WriteLine($"captured after turn {captureTurn - 1}: last derivable message key in turn {lastKeyTurn}, last derivable address in turn {lastAddressTurn}");

        // Turns after the capture: t+0 is the next one. Bob's state holds the private key of his current ratchet key pair.
        // Message keys heal once both sides have used key pairs generated after the capture; addresses (like Signal's
        // header keys) are known one root step ahead, so they heal one round trip later. See docs/protocol.md.
        Assert.InRange(lastKeyTurn, captureTurn, captureTurn + 2);
        Assert.InRange(lastAddressTurn, lastKeyTurn, captureTurn + 4);
        Assert.DoesNotContain(conversation.Messages.Where(m => m.Turn > captureTurn + 4), m => knowledge.Addresses.Contains(m.Address) || knowledge.MessageKeys.Contains(m.MessageKey));
    }
}
