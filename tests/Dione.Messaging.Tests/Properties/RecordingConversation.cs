using Dione.Messaging.Ratchet;
using Dione.Messaging.Sessions;
using Dione.Messaging.Tests.Sessions;

namespace Dione.Messaging.Tests.Properties;

/// <summary>A conversation in turns that records every message's address and message key (read from the sender's chain before sealing).</summary>
internal sealed class RecordingConversation
{
    private static readonly DateTimeOffset Now = TestSessions.Epoch;

    public RecordingConversation(Random random)
    {
        (Alice, Bob) = TestSessions.CreatePair(random: random);
    }

    public DioneSession Alice { get; }
    public DioneSession Bob { get; }
    public List<RecordedMessage> Messages { get; } = [];
    public int Turn { get; private set; }

    /// <summary>One turn: the sender seals <paramref name="count"/> messages; the receiver opens those not held back.</summary>
    public IReadOnlyList<RecordedMessage> Send(bool fromAlice, int count, Func<int, bool>? holdBack = null)
    {
        var (sender, receiver) = fromAlice ? (Alice, Bob) : (Bob, Alice);
        var sent = new List<RecordedMessage>();
        for (var i = 0; i < count; i++)
        {
            var messageKey = RatchetKdf.ChainStep(sender.Ratchet.Sending!.ChainKey).MessageKey;
            var ratchetKey = sender.Ratchet.DhSending.PublicKey;
            var sealedMessage = sender.Encrypt([(byte)i], Now);
            var record = new RecordedMessage(fromAlice, Turn, TestSessions.Hex(sealedMessage.Address), TestSessions.Hex(messageKey), ratchetKey, new SealedMessageHolder(sealedMessage));
            Messages.Add(record);
            sent.Add(record);
        }
        foreach (var (record, i) in sent.Select((r, i) => (r, i)))
        {
            if (holdBack is null || !holdBack(i))
            {
                Deliver(record);
            }
        }
        Turn++;
        return sent;
    }

    public void Deliver(RecordedMessage record)
    {
        var receiver = record.FromAlice ? Bob : Alice;
        receiver.Open(record.Sealed.Message.Envelope, Now);
        record.Sealed.Opened = true;
    }

    public IEnumerable<byte[]> PublicKeysOnTheWire => Messages.Select(m => m.SenderRatchetKey);
}
