using Dione.Messaging.Envelopes;
using Dione.Messaging.Protos;
using Dione.Messaging.Ratchet;
using Dione.Messaging.Sessions;
using Dione.Messaging.Tests.Sessions;

namespace Dione.Messaging.Tests.Properties;

/// <summary>
/// One random conversation over a simulated mailbox store. Senders store envelopes at their addresses; the network
/// drops, delays and duplicates them; receivers find envelopes only by polling the addresses their session lists (they
/// never read a message to learn where the next one is). Checks, as it goes: every opened message is the one sent to
/// that address (plaintext, token, direction), nothing opens twice, replays and duplicates are refused with
/// <see cref="AddressNotPendingException"/>, restores from serialized state change nothing. At the end every envelope
/// that was not dropped has been opened.
/// </summary>
internal sealed class ConversationSimulator
{
    private readonly Random _random;
    private readonly ISet<string> _allAddresses;
    private readonly Dictionary<string, SentMessage> _sent = [];
    private readonly Dictionary<string, List<DioneEnvelope>> _store = [];
    private readonly List<(int ReleaseAt, DioneEnvelope Envelope)> _delayed = [];
    private readonly HashSet<string> _opened = [];
    private readonly List<DioneEnvelope> _openedEnvelopes = [];
    private DioneSession _alice;
    private DioneSession _bob;
    private DateTimeOffset _clock = TestSessions.Epoch;
    private readonly List<string> _log = [];
    private int _step;

    public ConversationSimulator(int seed, ISet<string> allAddresses, SessionOptions options)
    {
        _random = new Random(seed);
        _allAddresses = allAddresses;
        (_alice, _bob) = TestSessions.CreatePair(options, _random);
    }

    public int Sent => _sent.Count;
    public int Dropped => _sent.Values.Count(s => s.Dropped);
    public int Opened => _opened.Count;
    public int RefusedDuplicates { get; private set; }
    public int RefusedReplays { get; private set; }
    public int DhSteps { get; private set; }
    public int RecoveryOpens { get; private set; }

    /// <summary>Runs <paramref name="steps"/> random steps, then delivers what is left until every surviving envelope is opened.</summary>
    public void Run(int steps)
    {
        for (_step = 0; _step < steps; _step++)
        {
            _clock += TimeSpan.FromMinutes(1);
            Release(all: false);
            var action = _random.Next(100);
            if (action < 45)
            {
                SendBurst(_random.Next(2) == 0 || !_bob.CanSend ? Side.Alice : Side.Bob, reliable: false);
            }
            else if (action < 90)
            {
                Poll(_random.Next(2) == 0 ? Side.Alice : Side.Bob, recovery: false);
            }
            else if (action < 93)
            {
                Replay();
            }
            else
            {
                RestoreOneSide();
            }
        }
        Flush();
    }

    private enum Side
    {
        Alice,
        Bob,
    }

    private DioneSession Session(Side side) => side == Side.Alice ? _alice : _bob;

    private void SendBurst(Side side, bool reliable)
    {
        var sender = Session(side);
        var count = reliable ? 1 : _random.Next(1, 7);
        for (var i = 0; i < count; i++)
        {
            var plaintext = new byte[_random.Next(0, 300)];
            _random.NextBytes(plaintext);
            var before = sender.Ratchet.Sending!.Number;
            var sealedMessage = sender.Encrypt(plaintext, _clock);
            Assert.Equal(before + 1, sender.Ratchet.Sending!.Number);
            var key = TestSessions.Hex(sealedMessage.Address);
            Assert.True(_allAddresses.Add(key), "an address repeated or collided with another session's");
            var fate = reliable ? 100 : _random.Next(100);
            var dropped = fate < 8;
            _sent[key] = new SentMessage(side, plaintext, sealedMessage.DeletionToken, dropped, TestSessions.Hex(sender.Ratchet.Sending!.HeaderKey)[..6], before);
            var envelope = EnvelopeCodec.Parse(sealedMessage.ToBytes());
            _log.Add($"{_step}: {side} sends {_sent[key].Chain}#{before} pn={sender.Ratchet.PreviousSendingCount} fate={fate}");
            if (dropped)
            {
                continue;
            }
            if (fate < 25)
            {
                _delayed.Add((_step + _random.Next(1, 15), envelope));
            }
            else
            {
                Store(envelope);
                if (fate < 33)
                {
                    _delayed.Add((_step + _random.Next(0, 15), envelope.Clone()));
                }
            }
        }
    }

    private void Store(DioneEnvelope envelope)
    {
        var key = TestSessions.Hex(envelope.Address.ToByteArray());
        if (!_store.TryGetValue(key, out var list))
        {
            _store[key] = list = [];
        }
        list.Add(envelope);
    }

    private void Release(bool all)
    {
        for (var i = _delayed.Count - 1; i >= 0; i--)
        {
            if (all || _delayed[i].ReleaseAt <= _step)
            {
                Store(_delayed[i].Envelope);
                _delayed.RemoveAt(i);
            }
        }
    }

    /// <summary>Polls the receiver's pending addresses (plus recovery addresses if asked); returns how many messages opened.</summary>
    private int Poll(Side side, bool recovery)
    {
        var receiver = Session(side);
        var watch = receiver.PendingAddresses.ToList();
        if (recovery)
        {
            watch.AddRange(receiver.RecoveryAddresses(receiver.Options.MaxSkip));
        }
        var windowOnly = watch.Take(receiver.PendingAddresses.Count).Select(TestSessions.Hex).ToHashSet();
        var openedNow = 0;
        foreach (var address in watch)
        {
            var key = TestSessions.Hex(address);
            if (!_store.Remove(key, out var envelopes))
            {
                continue;
            }
            foreach (var envelope in envelopes)
            {
                var wasNextChain = receiver.Ratchet.Receiving?.HeaderKey;
                try
                {
                    var opened = receiver.Open(envelope, _clock);
                    var sent = _sent[key];
                    Assert.NotEqual(side, sent.Sender);
                    Assert.Equal(sent.Plaintext, opened.Plaintext);
                    Assert.Equal(sent.DeletionToken, opened.DeletionToken);
                    Assert.Equal(address, opened.Address);
                    Assert.True(_opened.Add(key), "a message opened twice");
                    _openedEnvelopes.Add(envelope);
                    _log.Add($"{_step}: {side} opens {sent.Chain}#{sent.Number} recovery={!windowOnly.Contains(key)} skipped={receiver.Ratchet.SkippedCount}");
                    if (!ReferenceEquals(wasNextChain, receiver.Ratchet.Receiving?.HeaderKey))
                    {
                        DhSteps++;
                    }
                    if (!windowOnly.Contains(key))
                    {
                        RecoveryOpens++;
                    }
                    openedNow++;
                }
                catch (AddressNotPendingException)
                {
                    Assert.Contains(key, _opened); // only a duplicate of an opened envelope may be refused
                    RefusedDuplicates++;
                }
            }
        }
        return openedNow;
    }

    private void Replay()
    {
        if (_openedEnvelopes.Count == 0)
        {
            return;
        }
        var envelope = _openedEnvelopes[_random.Next(_openedEnvelopes.Count)];
        var receiver = _sent[TestSessions.Hex(envelope.Address.ToByteArray())].Sender == Side.Alice ? _bob : _alice;
        var before = receiver.Serialize();
        Assert.Throws<AddressNotPendingException>(() => receiver.Open(envelope, _clock));
        Assert.Equal(before, receiver.Serialize());
        RefusedReplays++;
    }

    private void RestoreOneSide()
    {
        var side = _random.Next(2) == 0 ? Side.Alice : Side.Bob;
        var bytes = Session(side).Serialize();
        var restored = DioneSession.Restore(bytes);
        Assert.Equal(bytes, restored.Serialize());
        if (side == Side.Alice)
        {
            _alice = restored;
        }
        else
        {
            _bob = restored;
        }
    }

    /// <summary>
    /// Delivers everything still in flight, then lets both sides talk (reliably) until every envelope that was not
    /// dropped has opened. Window polling first; recovery addresses only when a whole round found nothing.
    /// </summary>
    private void Flush()
    {
        Release(all: true);
        for (var round = 0; round < 1000 && Missing().Any(); round++)
        {
            var progress = Poll(Side.Alice, recovery: false) + Poll(Side.Bob, recovery: false);
            if (progress == 0)
            {
                progress = Poll(Side.Alice, recovery: true) + Poll(Side.Bob, recovery: true);
            }
            if (progress == 0)
            {
                // Nothing reachable: a new chain in each direction lets the receivers learn PN and skip to it.
                SendBurst(Side.Alice, reliable: true);
                if (_bob.CanSend)
                {
                    SendBurst(Side.Bob, reliable: true);
                }
            }
        }
        var missing = Missing().ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} surviving envelopes never opened: " + Describe(missing));
    }

    private string Describe(List<string> missing)
    {
        var lines = new List<string>();
        foreach (var key in missing)
        {
            var sent = _sent[key];
            var receiver = sent.Sender == Side.Alice ? _bob : _alice;
            lines.Add($"{sent.Sender} {sent.Chain}#{sent.Number} inStore={_store.ContainsKey(key)} pending={receiver.IsPending(Convert.FromHexString(key))}");
        }
        string Hk(byte[]? k) => k is null ? "-" : TestSessions.Hex(k)[..6];
        foreach (var (name, s) in new[] { ("alice", _alice), ("bob", _bob) })
        {
            lines.Add($"{name}: recvHK={Hk(s.Ratchet.Receiving?.HeaderKey)} nextHK={Hk(s.Ratchet.NextReceiving.HeaderKey)} sendHK={Hk(s.Ratchet.Sending?.HeaderKey)} skipped={s.Ratchet.SkippedCount} [{string.Join(",", s.Ratchet.Skipped.Select(e => Hk(e.HeaderKey) + "#" + e.Number))}]");
        }
        lines.Add($"alice recv={_alice.Ratchet.Receiving?.Number} send={_alice.Ratchet.Sending?.Number}; bob recv={_bob.Ratchet.Receiving?.Number} send={_bob.Ratchet.Sending?.Number} canSend={_bob.CanSend}");
        return string.Join("; ", lines) + "\n" + string.Join("\n", _log);
    }

    private IEnumerable<string> Missing() => _sent.Where(s => !s.Value.Dropped && !_opened.Contains(s.Key)).Select(s => s.Key);

    private sealed record SentMessage(Side Sender, byte[] Plaintext, byte[] DeletionToken, bool Dropped, string Chain, uint Number);
}
