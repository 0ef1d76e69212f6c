using System.Security.Cryptography;
using System.Text;
using Dione.Messaging.Envelopes;
using Dione.Messaging.Identity;
using Dione.Messaging.Intro;
using Dione.Messaging.Protos;
using Dione.Messenger.Conversations;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Tests.TestSupport;
using Google.Protobuf;
using Xunit.Abstractions;

namespace Dione.Messenger.Tests.Conversations;

/// <summary>Two people exchanging messages through a real overlay of Dione nodes on 127.0.0.1.</summary>
public sealed class MessengerSwarmTests(ITestOutputHelper output) : IDisposable
{
    private readonly ITestOutputHelper _output = output;
    private readonly string _directory = Directory.CreateTempSubdirectory("dione-messenger-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Database(string person) => Path.Combine(_directory, person + ".db");

    [Fact]
    public async Task Messages_flow_both_ways_and_in_order()
    {
        var ct = Timeouts.Token();
        await using var swarm = await MailboxSwarm.StartAsync(count: 8, replication: 3, ct);
        await using var alice = await MessengerPeer.OpenAsync(swarm, Database("alice"));
        await using var bob = await MessengerPeer.OpenAsync(swarm, Database("bob"));
        Assert.True(await bob.Messenger.PublishPrekeysAsync(ct) >= 3);
        await alice.Messenger.AddContactAsync("bob", bob.Messenger.Address, ct);

        var sent = await alice.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes("hello bob"), ct);
        var first = await bob.Messenger.PollAsync(ct);

        Assert.True(sent.FirstAttempt.Complete);
        var hello = Assert.Single(first);
        Assert.Equal("hello bob", Encoding.UTF8.GetString(hello.Body));
        Assert.Equal(alice.Messenger.Address, hello.Contact);

        await bob.Messenger.SendAsync(hello.Contact, Encoding.UTF8.GetBytes("hi alice"), ct);
        var reply = Assert.Single(await alice.Messenger.PollAsync(ct));
        Assert.Equal(("bob", "hi alice"), (reply.Contact, Encoding.UTF8.GetString(reply.Body)));

        for (var i = 0; i < 5; i++)
        {
            await alice.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes($"message {i}"), ct);
        }
        var more = await bob.Messenger.PollAsync(ct);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"message {i}"), more.Select(m => Encoding.UTF8.GetString(m.Body)));
        Assert.Empty(await bob.Messenger.PollAsync(ct));
    }

    [Fact]
    public async Task A_recipient_who_was_offline_gets_everything_when_it_returns()
    {
        var ct = Timeouts.Token();
        await using var swarm = await MailboxSwarm.StartAsync(count: 8, replication: 3, ct);
        await using var alice = await MessengerPeer.OpenAsync(swarm, Database("alice"));
        var bob = await MessengerPeer.OpenAsync(swarm, Database("bob"));
        await bob.Messenger.PublishPrekeysAsync(ct);
        var bobAddress = bob.Messenger.Address;
        await swarm.StopNodeAsync(bob.Node);

        await alice.Messenger.AddContactAsync("bob", bobAddress, ct);
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await alice.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes($"while you were away {i}"), ct)).FirstAttempt.Complete);
        }

        await using var bobAgain = await MessengerPeer.RestartAsync(swarm, bob);
        var received = await bobAgain.Messenger.PollAsync(ct);

        Assert.Equal(bobAddress, bobAgain.Messenger.Address);
        Assert.Equal(Enumerable.Range(0, 3).Select(i => $"while you were away {i}"), received.Select(m => Encoding.UTF8.GetString(m.Body)));
    }

    [Fact]
    public async Task A_burst_of_a_thousand_messages_arrives_once_each_in_order()
    {
        var ct = new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token;
        await using var swarm = await MailboxSwarm.StartAsync(count: 6, replication: 3, ct);
        await using var alice = await MessengerPeer.OpenAsync(swarm, Database("alice"));
        await using var bob = await MessengerPeer.OpenAsync(swarm, Database("bob"));
        await bob.Messenger.PublishPrekeysAsync(ct);
        await alice.Messenger.AddContactAsync("bob", bob.Messenger.Address, ct);
        for (var i = 0; i < 1000; i++)
        {
            await alice.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes(i.ToString()), ct);
        }
        for (var retries = 0; retries < 5 && (await alice.Database.PendingAsync(ct)).Count > 0; retries++)
        {
            await alice.Messenger.DeliverPendingAsync(ct);
        }
        Assert.Empty(await alice.Database.PendingAsync(ct));

        var received = new List<string>();
        for (var polls = 0; polls < 10 && received.Count < 1000; polls++)
        {
            received.AddRange((await bob.Messenger.PollAsync(ct)).Select(m => Encoding.UTF8.GetString(m.Body)));
        }

        Assert.Equal(1000, received.Count);
        Assert.Equal(1000, received.Distinct().Count());
        var inbox = await bob.Database.InboxInSentOrderAsync(ct);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => i.ToString()), inbox.Select(m => Encoding.UTF8.GetString(m.Body)));
    }

    [Fact]
    public async Task Garbage_at_the_intro_addresses_does_not_keep_the_real_intro_out()
    {
        var ct = Timeouts.Token();
        await using var swarm = await MailboxSwarm.StartAsync(count: 6, replication: 3, ct);
        await using var alice = await MessengerPeer.OpenAsync(swarm, Database("alice"));
        await using var bob = await MessengerPeer.OpenAsync(swarm, Database("bob"));
        var vandal = swarm.Nodes[3].Mailbox;
        await bob.Messenger.PublishPrekeysAsync(ct);
        var intro = new IntroAddresses();
        var now = DateTimeOffset.UtcNow;
        // 12 of the 16 slots of today, where Alice writes: she meets CONFLICT three times in four and must move on.
        foreach (var slot in intro.PollAddresses(bob.Messenger.Identity, now).Where(a => a.Period == intro.PeriodAt(now)).Take(12))
        {
            var garbage = new DioneEnvelope
            {
                Version = EnvelopeCodec.Version,
                Address = ByteString.CopyFrom(slot.Address),
                Body = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(300)),
                Intro = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(120)),
                ExpiresUnixSeconds = (ulong)now.AddDays(1).ToUnixTimeSeconds(),
                DeletionHash = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)),
            };
            await vandal.Client.StoreAsync(garbage.ToByteArray(), slot.Address, MailboxTraffic.Contacting, ct);
        }
        await alice.Messenger.AddContactAsync("bob", bob.Messenger.Address, ct);

        await alice.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes("still here"), ct);
        for (var i = 0; i < 60 && (await alice.Database.PendingAsync(ct)).Count > 0; i++)
        {
            await alice.Messenger.DeliverPendingAsync(ct);
        }
        Assert.Empty(await alice.Database.PendingAsync(ct));
        var received = await bob.Messenger.PollAsync(ct);

        Assert.Equal("still here", Encoding.UTF8.GetString(Assert.Single(received).Body));
    }

    /// <summary>
    /// Both write first at the same moment (neither has read the other), then both messengers' loops run while each
    /// writes six more messages at random moments. Every message arrives once and in order, the first message of the
    /// one whose session lost the tie included, and the winner never takes the loser's ignored carrier for a new
    /// session after the loser's first reply: the two would then be on different sessions and read nothing more.
    /// </summary>
    [Fact]
    public async Task Simultaneous_first_contact_ends_on_one_session_both_can_use()
    {
        var ct = Timeouts.Token();
        var seed = Random.Shared.Next();
        _output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var options = new MessengerOptions { PollInterval = TimeSpan.FromMilliseconds(200) };
        await using var swarm = await MailboxSwarm.StartAsync(count: 6, replication: 3, ct);
        await using var alice = await MessengerPeer.OpenAsync(swarm, Database("alice"), options);
        await using var bob = await MessengerPeer.OpenAsync(swarm, Database("bob"), options);
        await alice.Messenger.PublishPrekeysAsync(ct);
        await bob.Messenger.PublishPrekeysAsync(ct);
        await alice.Messenger.AddContactAsync("bob", bob.Messenger.Address, ct);
        await bob.Messenger.AddContactAsync("alice", alice.Messenger.Address, ct);
        const int Messages = 7;
        var aliceReadAll = ArrivalOf(alice, Messages);
        var bobReadAll = ArrivalOf(bob, Messages);
        var aliceDelays = Enumerable.Range(1, Messages - 1).Select(_ => TimeSpan.FromMilliseconds(random.Next(300))).ToList();
        var bobDelays = Enumerable.Range(1, Messages - 1).Select(_ => TimeSpan.FromMilliseconds(random.Next(300))).ToList();

        await Task.WhenAll(
            alice.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes("alice 0"), ct),
            bob.Messenger.SendAsync("alice", Encoding.UTF8.GetBytes("bob 0"), ct));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var loops = Task.WhenAll(alice.Messenger.RunAsync(stop.Token), bob.Messenger.RunAsync(stop.Token));
        await Task.WhenAll(
            WriteAsync(alice, "bob", "alice", aliceDelays, ct),
            WriteAsync(bob, "alice", "bob", bobDelays, ct));
        try
        {
            await Task.WhenAll(aliceReadAll, bobReadAll).WaitAsync(Timeouts.Test);
        }
        catch (TimeoutException)
        {
            // The assertions below say which messages never arrived.
        }
        await stop.CancelAsync();
        await loops;

        ct = Timeouts.Token();
        Assert.Empty(await alice.Messenger.PollAsync(ct));
        Assert.Empty(await bob.Messenger.PollAsync(ct));
        Assert.Equal(Enumerable.Range(0, Messages).Select(i => $"bob {i}"), await InboxInSentOrderAsync(alice, "bob"));
        Assert.Equal(Enumerable.Range(0, Messages).Select(i => $"alice {i}"), await InboxInSentOrderAsync(bob, "alice"));
    }

    /// <summary>Writes "<paramref name="self"/> 1", "… 2", … to <paramref name="contact"/>, each after its delay.</summary>
    private static async Task WriteAsync(MessengerPeer person, string contact, string self, IReadOnlyList<TimeSpan> delays, CancellationToken ct)
    {
        for (var i = 0; i < delays.Count; i++)
        {
            // Jitter, not synchronisation: it moves each send to another point of the receivers' poll and watch cycles.
            await Task.Delay(delays[i], ct);
            await person.Messenger.SendAsync(contact, Encoding.UTF8.GetBytes($"{self} {i + 1}"), ct);
        }
    }

    /// <summary>Completes once <paramref name="person"/> has received <paramref name="count"/> messages.</summary>
    private static Task ArrivalOf(MessengerPeer person, int count)
    {
        var received = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        person.Messenger.MessageReceived += (_, _) =>
        {
            if (Interlocked.Increment(ref received) >= count)
            {
                all.TrySetResult();
            }
        };
        return all.Task;
    }

    private static async Task<List<string>> InboxInSentOrderAsync(MessengerPeer person, string contact) =>
        [.. (await person.Database.InboxInSentOrderAsync(Timeouts.Token())).Where(m => m.Contact == contact).Select(m => Encoding.UTF8.GetString(m.Body))];

    [Fact]
    public async Task Holders_see_unrelated_addresses_and_equal_sizes_and_the_receiver_deletes_what_it_read()
    {
        var ct = Timeouts.Token();
        await using var swarm = await MailboxSwarm.StartAsync(count: 6, replication: 3, ct);
        await using var alice = await MessengerPeer.OpenAsync(swarm, Database("alice"));
        await using var bob = await MessengerPeer.OpenAsync(swarm, Database("bob"));
        await bob.Messenger.PublishPrekeysAsync(ct);
        await alice.Messenger.AddContactAsync("bob", bob.Messenger.Address, ct);
        for (var i = 0; i < 20; i++)
        {
            await alice.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes(new string('x', 1 + (i * 7))), ct);
        }

        var held = new List<DioneEnvelope>();
        foreach (var mailbox in swarm.Nodes.Select(n => n.Mailbox))
        {
            foreach (var bytes in await mailbox.Store.FetchAsync((await mailbox.Store.AddressesAsync(ct)).Select(a => (ReadOnlyMemory<byte>)a), ct))
            {
                var envelope = DioneEnvelope.Parser.ParseFrom(bytes);
                if (envelope.Header.Length > 0)
                {
                    held.Add(envelope);
                }
            }
        }
        var messages = held.DistinctBy(e => Convert.ToHexString(e.Address.Span)).ToList();

        Assert.Equal(19, messages.Count); // the first one travels in a carrier
        Assert.Equal(19, messages.Select(e => Convert.ToHexString(e.DeletionHash.Span)).Distinct().Count());
        Assert.Single(messages.Select(e => e.Body.Length).Distinct()); // lengths 8..134 all pad to one bucket
        Assert.Single(messages.Select(e => e.Header.Length).Distinct());
        Assert.Equal(19, messages.Select(e => Convert.ToHexString(e.Header.Span[..16])).Distinct().Count());

        Assert.Equal(20, (await bob.Messenger.PollAsync(ct)).Count);
        var left = 0;
        foreach (var mailbox in swarm.Nodes.Select(n => n.Mailbox))
        {
            left += (await mailbox.Store.FetchAsync(messages.Select(e => (ReadOnlyMemory<byte>)e.Address.Memory), ct)).Count;
        }
        Assert.Equal(0, left);
    }

    [Fact]
    public async Task A_watching_recipient_gets_a_message_as_soon_as_it_is_stored()
    {
        var ct = Timeouts.Token();
        await using var swarm = await MailboxSwarm.StartAsync(count: 6, replication: 3, ct);
        await using var alice = await MessengerPeer.OpenAsync(swarm, Database("alice"));
        // The watch waits 30 s, longer than the messages may take, and there is no polling: only the holders' wake-up
        // can bring the messages in time.
        await using var bob = await MessengerPeer.OpenAsync(swarm, Database("bob"), options: new MessengerOptions { WatchWait = TimeSpan.FromSeconds(30) });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var arrivals = System.Threading.Channels.Channel.CreateUnbounded<string>();
        bob.Messenger.MessageReceived += (_, entry) => arrivals.Writer.TryWrite(Encoding.UTF8.GetString(entry.Body));
        await bob.Messenger.PublishPrekeysAsync(ct);
        await alice.Messenger.AddContactAsync("bob", bob.Messenger.Address, ct);
        var watching = bob.Messenger.WatchAsync(stop.Token);
        // Shorter than the watch: a message that came only with the next watch would time out.
        using var beforeTheWatchEnds = new CancellationTokenSource(TimeSpan.FromSeconds(25));

        await alice.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes("first, via the intro address"), ct);
        Assert.Equal("first, via the intro address", await arrivals.Reader.ReadAsync(beforeTheWatchEnds.Token));
        await alice.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes("second, at a ratchet address"), ct);
        Assert.Equal("second, at a ratchet address", await arrivals.Reader.ReadAsync(beforeTheWatchEnds.Token));

        await stop.CancelAsync();
        await watching;
    }

    [Fact]
    public async Task Contact_and_message_mistakes_get_clear_errors()
    {
        var ct = Timeouts.Token();
        await using var swarm = await MailboxSwarm.StartAsync(count: 3, replication: 2, ct);
        await using var alice = await MessengerPeer.OpenAsync(swarm, Database("alice"));
        var stranger = DioneAddress.Format(DioneIdentity.Generate().PublicKey);

        Assert.Contains("not a Dione address", (await Assert.ThrowsAsync<MessengerException>(() => alice.Messenger.AddContactAsync("x", "bogus", ct))).Message);
        Assert.Contains("own address", (await Assert.ThrowsAsync<MessengerException>(() => alice.Messenger.AddContactAsync("me", alice.Messenger.Address, ct))).Message);
        await Assert.ThrowsAsync<MessengerException>(() => alice.Messenger.AddContactAsync("", stranger, ct));
        await alice.Messenger.AddContactAsync("stranger", stranger, ct);
        await Assert.ThrowsAsync<MessengerException>(() => alice.Messenger.AddContactAsync("stranger", DioneAddress.Format(DioneIdentity.Generate().PublicKey), ct));
        Assert.Contains("no contact", (await Assert.ThrowsAsync<MessengerException>(() => alice.Messenger.SendAsync("nobody", [1], ct))).Message);
        Assert.Contains("no prekeys", (await Assert.ThrowsAsync<MessengerException>(() => alice.Messenger.SendAsync("stranger", [1], ct))).Message);
        await Assert.ThrowsAsync<MessengerException>(() => alice.Messenger.SendAsync("stranger", new byte[alice.Messenger.Options.MaxMessageBytes + 1], ct));
        Assert.Empty(await alice.Database.PendingAsync(ct));
    }
}
