using System.Text;
using Dione.Messaging.Envelopes;
using Dione.Messaging.Protos;
using Dione.Messenger.Conversations;
using Dione.Messenger.Persistence;
using Dione.Messenger.Tests.TestSupport;
using Google.Protobuf;

namespace Dione.Messenger.Tests.Conversations;

/// <summary>
/// What the holders of a conversation see (docs/protocol.md §10.2, §14.2): the sealed intro travels only in the
/// carrier at the recipient's intro address, so no envelope at a ratchet address repeats bytes of the carrier or of
/// another envelope, and messages sent before the recipient has read the carrier wait for it. Envelopes a build of
/// version 1 (which repeated the intro) left undelivered in the outbox go out as version 2 (§8.1.1).
/// </summary>
public sealed class EnvelopeLinkabilityTests : IAsyncLifetime
{
    /// <summary>The shortest run of shared bytes that counts as a link (random 16-byte runs never repeat by chance).</summary>
    private const int LinkLength = 16;

    private AliceAndBob _people = null!;

    private RestartablePerson Alice => _people.Alice;

    private RestartablePerson Bob => _people.Bob;

    private InMemoryMailbox Mailbox => _people.Mailbox;

    public async Task InitializeAsync() => _people = await AliceAndBob.StartAsync(replication: 3);

    public async Task DisposeAsync() => await _people.DisposeAsync();

    [Fact]
    public async Task No_two_envelopes_of_a_conversation_share_sixteen_bytes_outside_the_fixed_header_fields()
    {
        var ct = Timeouts.Token();
        for (var i = 1; i <= 10; i++)
        {
            await Alice.Messenger.SendAsync("bob", Text($"before the reply {i}"), ct);
        }
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"before the reply {i}"), await ReceiveAsync(Bob, 10));
        for (var i = 1; i <= 5; i++)
        {
            await Bob.Messenger.SendAsync(Alice.Messenger.Address, Text($"reply {i}"), ct);
            Assert.Equal([$"reply {i}"], await ReceiveAsync(Alice, 1));
            await Alice.Messenger.SendAsync("bob", Text($"answer {i}"), ct);
            Assert.Equal([$"answer {i}"], await ReceiveAsync(Bob, 1));
        }

        var publications = new[] { Alice.Messenger.Identity, Bob.Messenger.Identity }
            .SelectMany(identity => PrekeyAddresses.ToFetch(identity, DateTimeOffset.UtcNow))
            .Select(a => Convert.ToHexString(a.Address))
            .ToHashSet();
        var conversation = Mailbox.EverStored
            .Select(DioneEnvelope.Parser.ParseFrom)
            .Where(e => !publications.Contains(Convert.ToHexString(e.Address.Span)))
            .ToList();

        Assert.Equal(20, conversation.Count);
        Assert.Single(conversation, IntroCarrier.IsCarrier);
        var seen = new Dictionary<string, int>();
        for (var index = 0; index < conversation.Count; index++)
        {
            var bytes = WithoutFixedHeaderFields(conversation[index]);
            foreach (var run in Enumerable.Range(0, bytes.Length - LinkLength + 1).Select(at => Convert.ToHexString(bytes, at, LinkLength)).Distinct())
            {
                if (seen.TryGetValue(run, out var earlier))
                {
                    Assert.Fail($"stored envelopes {earlier} and {index} of the conversation share the bytes {run}");
                }
                seen[run] = index;
            }
        }
    }

    [Fact]
    public async Task Messages_sent_before_the_carrier_is_stored_wait_for_it_and_none_is_lost()
    {
        var ct = Timeouts.Token();
        TakeTheHoldersDownAtTheNextStore();
        Assert.Empty((await Alice.Messenger.SendAsync("bob", Text("message 1"), ct)).FirstAttempt.Acknowledged);
        BringTheHoldersBack();
        for (var i = 2; i <= 5; i++)
        {
            await Alice.Messenger.SendAsync("bob", Text($"message {i}"), ct);
        }

        // Bob cannot know the session's addresses before the carrier: the later envelopes wait at their holders.
        Assert.Empty(await Bob.Messenger.PollAsync(ct));
        Assert.Equal(1, await Alice.Messenger.DeliverPendingAsync(ct));

        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"message {i}"), await ReceiveAsync(Bob, 5));
    }

    [Fact]
    public async Task Version_1_envelopes_left_in_the_outbox_are_sent_as_version_2_without_the_repeated_intro()
    {
        var ct = Timeouts.Token();
        TakeTheHoldersDownAtTheNextStore();
        await Alice.Messenger.SendAsync("bob", Text("first"), ct);
        await Alice.Messenger.SendAsync("bob", Text("second"), ct);
        var pending = await Alice.Database.PendingAsync(ct);
        Assert.Equal(2, pending.Count);
        await RewriteAsVersion1Async(pending[0], pending[1], ct);

        await Alice.RestartAsync();
        BringTheHoldersBack();
        Assert.Equal(2, await Alice.Messenger.DeliverPendingAsync(ct));

        var stored = Mailbox.EverStored.Select(DioneEnvelope.Parser.ParseFrom).Where(e => !e.Header.IsEmpty || !e.Intro.IsEmpty).ToList();
        Assert.Equal(2, stored.Count);
        Assert.All(stored, e => Assert.Equal(EnvelopeCodec.Version, e.Version));
        Assert.Single(stored, e => !e.Intro.IsEmpty);
        Assert.Equal(["first", "second"], await ReceiveAsync(Bob, 2));
    }

    /// <summary>
    /// What a version-1 build committed for the same two messages: the carrier and the envelope it wraps at version 1,
    /// and the second envelope at version 1 with the carrier's sealed intro repeated in it.
    /// </summary>
    private async Task RewriteAsVersion1Async(OutboxEntry first, OutboxEntry second, CancellationToken ct)
    {
        var carrier = DioneEnvelope.Parser.ParseFrom(first.Envelope);
        var inner = IntroCarrier.Unwrap(carrier);
        inner.Version = 1;
        carrier.Version = 1;
        carrier.Body = inner.ToByteString();
        var next = DioneEnvelope.Parser.ParseFrom(second.Envelope);
        next.Version = 1;
        next.Intro = carrier.Intro;
        await Alice.Database.ReplaceOutboxEnvelopeAsync(first.Id, first.Address, carrier.ToByteArray(), ct);
        await Alice.Database.ReplaceOutboxEnvelopeAsync(second.Id, second.Address, next.ToByteArray(), ct);
    }

    /// <summary>Bob's prekeys can still be fetched; from the next store on, every holder is down (stores reach none).</summary>
    private void TakeTheHoldersDownAtTheNextStore() =>
        Mailbox.BeforeStore = _ =>
        {
            Mailbox.Down.UnionWith(Mailbox.Holders);
            return Task.CompletedTask;
        };

    private void BringTheHoldersBack()
    {
        Mailbox.BeforeStore = null;
        Mailbox.Down.Clear();
    }

    /// <summary>
    /// The envelope's bytes without its fixed header fields (docs/protocol.md §8.1): <c>version</c> and
    /// <c>expires_unix_seconds</c>, the only fields whose values legitimately repeat (one format version; one expiry per
    /// second of sending). In a carrier the same two fields of the envelope it wraps are dropped too. Everything
    /// else (address, header, body, deletion hash, intro) stays, with its protobuf framing.
    /// </summary>
    private static byte[] WithoutFixedHeaderFields(DioneEnvelope stored)
    {
        var envelope = stored.Clone();
        envelope.Version = 0;
        envelope.ExpiresUnixSeconds = 0;
        if (IntroCarrier.IsCarrier(envelope))
        {
            var inner = DioneEnvelope.Parser.ParseFrom(envelope.Body);
            inner.Version = 0;
            inner.ExpiresUnixSeconds = 0;
            envelope.Body = inner.ToByteString();
        }
        return envelope.ToByteArray();
    }

    /// <summary>The texts of the next <paramref name="count"/> messages <paramref name="person"/> receives, in the sender's order.</summary>
    private static async Task<List<string>> ReceiveAsync(RestartablePerson person, int count)
    {
        var ct = Timeouts.Token();
        var received = new List<InboxEntry>();
        while (received.Count < count)
        {
            received.AddRange(await person.Messenger.PollAsync(ct));
            ct.ThrowIfCancellationRequested();
        }
        return [.. received.OrderBy(entry => entry.Sequence).Select(entry => Encoding.UTF8.GetString(entry.Body))];
    }

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);
}
