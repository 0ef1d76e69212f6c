using System.Text;
using Dione.Messenger.Conversations;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Node;
using Dione.Messenger.Overlay;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Dione.Cli.Demo;

/// <summary>
/// The story <c>dione demo</c> tells: a swarm of nodes on 127.0.0.1, Alice and Bob on two of them, messages both ways,
/// Bob offline while Alice writes, Bob back on a new node from his database file, and a check that every message
/// arrived exactly once.
/// </summary>
internal sealed class DemoStory
{
    private readonly DemoOptions _options;
    private readonly DemoTranscript _transcript;
    private readonly ILoggerFactory _loggerFactory;
    private readonly List<DemoMessage> _messages = [];
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    private DemoStory(DemoOptions options, TextWriter? output, ILoggerFactory loggerFactory)
    {
        _options = options;
        _transcript = new DemoTranscript(output);
        _loggerFactory = loggerFactory;
    }

    /// <summary>Runs the story in a fresh temporary folder, removed at the end; prints the transcript to <paramref name="output"/> as it goes.</summary>
    public static async Task<DemoResult> RunAsync(DemoOptions options, TextWriter? output, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var story = new DemoStory(options, output, loggerFactory);
        var directory = Directory.CreateTempSubdirectory("dione-demo-").FullName;
        string? error = null;
        try
        {
            await story.TellAsync(directory, cancellationToken).ConfigureAwait(false);
        }
        catch (DemoFailure e)
        {
            error = e.Message;
        }
        catch (MessengerException e)
        {
            error = e.Message;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
        return new DemoResult(options.Nodes, options.Replication, story._transcript.Now, story._transcript.Lines, story._messages, error);
    }

    private async Task TellAsync(string directory, CancellationToken cancellationToken)
    {
        Say($"starting {_options.Nodes} Dione nodes on 127.0.0.1 (each envelope stored at r = {_options.Replication} holders), databases in {directory}");
        var template = new DioneNodeOptions
        {
            RunMessenger = false,
            Mailbox = new MailboxServiceOptions { Overlay = new DioneOverlayOptions { Replication = _options.Replication } },
            LoggerFactory = _loggerFactory,
        };
        // Alice's and Bob's nodes join last, so the swarm is in place when their messengers start.
        await using var swarm = await LocalSwarm.StartAsync(_options.Nodes - 2, template, directory, cancellationToken).ConfigureAwait(false);
        var alice = await JoinAsync(swarm, "alice", Path.Combine(directory, "alice.db"), stopped: null, cancellationToken).ConfigureAwait(false);
        var bob = await JoinAsync(swarm, "bob", Path.Combine(directory, "bob.db"), stopped: null, cancellationToken).ConfigureAwait(false);
        Say($"swarm ready: {swarm.Nodes.Count} nodes joined the overlay through node 1, {swarm.MeanTableSize:0.0} peers in each routing table on average");
        _names[alice.Messenger.Address] = alice.Name;
        _names[bob.Messenger.Address] = bob.Name;
        Say($"alice uses node {alice.Number}, bob node {bob.Number}; each runs the messenger's loop as a daemon does; bob's Dione address is {bob.Messenger.Address}");

        var published = await bob.Messenger.PublishPrekeysAsync(cancellationToken).ConfigureAwait(false);
        if (published == 0)
        {
            throw new DemoFailure("bob's prekeys were stored at no holder");
        }
        Say($"bob published his prekeys ({published} holders acknowledged)");
        await alice.Messenger.AddContactAsync("bob", bob.Messenger.Address, cancellationToken).ConfigureAwait(false);
        Say("alice added bob as a contact by his Dione address");

        await SendAsync(alice, bob, "bob", "Hello Bob, this is Alice over the Dione swarm.", cancellationToken).ConfigureAwait(false);
        var hello = await ReceiveAsync(bob, null, cancellationToken).ConfigureAwait(false);
        var aliceForBob = hello[0].Contact;
        Say($"bob learned alice as a contact from her first message (he knows her by her address {Shorten(aliceForBob)})");
        await SendAsync(bob, alice, aliceForBob, "Hi Alice! Got it, and you get this reply.", cancellationToken).ConfigureAwait(false);
        await ReceiveAsync(alice, null, cancellationToken).ConfigureAwait(false);
        await SendAsync(alice, bob, "bob", "Great. Both ways work.", cancellationToken).ConfigureAwait(false);
        await ReceiveAsync(bob, null, cancellationToken).ConfigureAwait(false);

        await swarm.StopNodeAsync(bob.Node).ConfigureAwait(false);
        Say($"bob went offline: his messenger closed and node {bob.Number} stopped ({swarm.Nodes.Count} nodes left)");

        string[] whileAway = ["Bob, are you there?", "I'll leave these in the swarm for you.", "See you when you're back."];
        foreach (var text in whileAway)
        {
            await SendAsync(alice, bob, "bob", text, cancellationToken, recipientOffline: true).ConfigureAwait(false);
        }

        var back = _transcript.Now;
        bob = await JoinAsync(swarm, "bob", bob.Node.Options.DatabasePath, stopped: bob.Node, cancellationToken).ConfigureAwait(false);
        if (!_names.TryGetValue(bob.Messenger.Address, out var sameBob) || sameBob != "bob")
        {
            throw new DemoFailure("bob's address changed when his database was reopened");
        }
        Say($"bob is back on new node {bob.Number} (joined the overlay in {DemoTranscript.Duration((_transcript.Now - back) * 1000)}), his database reopened from bob.db, same address");
        await ReceiveAsync(bob, back, cancellationToken).ConfigureAwait(false);

        await VerifyAsync(alice, bob, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a person's node (or restarts <paramref name="stopped"/> from its database file on a new node) and
    /// joins it to the swarm; arrivals are watched from before the messenger's loop starts.
    /// </summary>
    private async Task<DemoPerson> JoinAsync(LocalSwarm swarm, string name, string databasePath, DioneNode? stopped, CancellationToken cancellationToken)
    {
        DemoPerson? person = null;
        void Started(DioneNode node) => person = new DemoPerson(name, swarm.Started, node, _transcript);
        if (stopped is null)
        {
            await swarm.AddNodeAsync(LocalSwarm.Person(databasePath, runLoop: true), Started, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await swarm.RestartNodeAsync(stopped, Started, cancellationToken).ConfigureAwait(false);
        }
        return person!;
    }

    private async Task SendAsync(DemoPerson from, DemoPerson to, string contact, string text, CancellationToken cancellationToken, bool recipientOffline = false)
    {
        var message = new DemoMessage(from.Name, to.Name, text, recipientOffline) { SentAt = _transcript.Now };
        _messages.Add(message);
        var result = await from.Messenger.SendAsync(contact, Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        message.StoreMs = (_transcript.Now - message.SentAt) * 1000;
        message.Holders = result.FirstAttempt.Acknowledged.Count;
        message.Wanted = result.FirstAttempt.Wanted;
        var note = "";
        for (var retry = 0; retry < 5 && (await from.Database.PendingAsync(cancellationToken).ConfigureAwait(false)).Count > 0; retry++)
        {
            await from.Messenger.DeliverPendingAsync(cancellationToken).ConfigureAwait(false);
            note = ", completed by a retry";
        }
        if ((await from.Database.PendingAsync(cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            throw new DemoFailure($"'{text}' was not acknowledged by enough holders after retries");
        }
        var offline = recipientOffline ? $" while {to.Name} is offline" : "";
        Say($"{from.Name} → {to.Name}{offline}: {text} (stored at {message.Holders} of {message.Wanted} holders, {DemoTranscript.Duration(message.StoreMs)}{note})");
    }

    /// <summary>Waits until every message sent to <paramref name="person"/> has arrived through their messenger's loop; returns what arrived.</summary>
    private async Task<List<Dione.Messenger.Persistence.InboxEntry>> ReceiveAsync(DemoPerson person, double? cameBackAt, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.DeliveryTimeout);
        var arrived = new List<Dione.Messenger.Persistence.InboxEntry>();
        while (_messages.Any(m => m.To == person.Name && m.ReceivedAt is null))
        {
            Dione.Messenger.Persistence.InboxEntry entry;
            double at;
            try
            {
                (entry, at) = await person.NextArrivalAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var missing = _messages.First(m => m.To == person.Name && m.ReceivedAt is null);
                throw new DemoFailure($"{person.Name} did not receive '{missing.Text}' within {_options.DeliveryTimeout.TotalSeconds:0} s");
            }
            arrived.Add(entry);
            var text = Encoding.UTF8.GetString(entry.Body);
            var sender = _names.GetValueOrDefault(entry.Contact, entry.Contact);
            var message = _messages.FirstOrDefault(m => m.To == person.Name && m.From == sender && m.Text == text)
                ?? throw new DemoFailure($"{person.Name} received a message nobody sent: '{text}' from {sender}");
            message.Copies++;
            if (message.Copies > 1)
            {
                throw new DemoFailure($"{person.Name} received '{text}' {message.Copies} times");
            }
            message.ReceivedAt = at;
            var since = cameBackAt is { } back
                ? $"{DemoTranscript.Duration(message.LatencyMs!.Value)} after sending, {DemoTranscript.Duration((at - back) * 1000)} after {person.Name} came back"
                : $"{DemoTranscript.Duration(message.LatencyMs!.Value)} after sending";
            Say($"{person.Name} received from {sender}: {text} ({since})");
        }
        return arrived;
    }

    /// <summary>Checks both inboxes as stored: every message sent is there exactly once, and nothing else.</summary>
    private async Task VerifyAsync(DemoPerson alice, DemoPerson bob, CancellationToken cancellationToken)
    {
        foreach (var person in new[] { alice, bob })
        {
            var inbox = await person.Database.InboxAsync(0, cancellationToken).ConfigureAwait(false);
            var stored = inbox.Select(e => (Sender: _names.GetValueOrDefault(e.Contact, e.Contact), Text: Encoding.UTF8.GetString(e.Body))).ToList();
            foreach (var message in _messages.Where(m => m.To == person.Name))
            {
                var copies = stored.Count(s => s.Sender == message.From && s.Text == message.Text);
                if (copies != 1)
                {
                    throw new DemoFailure($"{person.Name}'s inbox holds '{message.Text}' {copies} times, not once");
                }
            }
            if (stored.Count != _messages.Count(m => m.To == person.Name))
            {
                throw new DemoFailure($"{person.Name}'s inbox holds {stored.Count} messages, but {_messages.Count(m => m.To == person.Name)} were sent to them");
            }
        }
        var online = _messages.Where(m => !m.RecipientOffline).Select(m => m.LatencyMs!.Value).Order().ToList();
        var offline = _messages.Count(m => m.RecipientOffline);
        Say($"done: {_messages.Count} messages ({offline} sent while bob was offline), each in its recipient's inbox exactly once; "
            + $"online delivery median {DemoTranscript.Duration(online[online.Count / 2])}");
    }

    private void Say(string text) => _transcript.Say(text);

    private static string Shorten(string address) => address.Length > 20 ? address[..12] + "…" + address[^6..] : address;
}
