using System.Text;
using Dione.Messaging.Envelopes;
using Dione.Messaging.Protos;
using Dione.Messenger.Conversations;
using Dione.Messenger.Persistence;
using Dione.Messenger.Tests.TestSupport;
using Google.Protobuf;

namespace Dione.Messenger.Tests.Conversations;

/// <summary>
/// Messages a build of wire-format version 1 committed but could not deliver before the upgrade (docs/protocol.md
/// §8.1.1) go out as version 2 after it, without the intro version 1 repeated, and arrive.
/// </summary>
public sealed class OutboxUpgradeTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dione-outbox-upgrade-tests-").FullName;
    private readonly InMemoryMailbox _mailbox = new(replication: 3);
    private RestartablePerson _alice = null!;
    private RestartablePerson _bob = null!;

    public async Task InitializeAsync()
    {
        _alice = await RestartablePerson.OpenAsync(_mailbox, Path.Combine(_directory, "alice.db"));
        _bob = await RestartablePerson.OpenAsync(_mailbox, Path.Combine(_directory, "bob.db"));
        await _bob.Messenger.PublishPrekeysAsync(Timeouts.Token());
        await _alice.Messenger.AddContactAsync("bob", _bob.Messenger.Address, Timeouts.Token());
    }

    public async Task DisposeAsync()
    {
        await _alice.DisposeAsync();
        await _bob.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Version_1_envelopes_left_in_the_outbox_are_sent_as_version_2_without_the_repeated_intro()
    {
        var ct = Timeouts.Token();
        // Bob's prekeys are found, then every holder is down for the stores: both messages stay in the outbox.
        _mailbox.BeforeStore = _ =>
        {
            _mailbox.Down.UnionWith(_mailbox.Holders);
            return Task.CompletedTask;
        };
        await _alice.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes("first"), ct);
        await _alice.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes("second"), ct);
        var pending = await _alice.Database.PendingAsync(ct);
        Assert.Equal(2, pending.Count);
        await RewriteAsVersion1Async(pending[0], pending[1], ct);

        await _alice.RestartAsync();
        _mailbox.BeforeStore = null;
        _mailbox.Down.Clear();
        Assert.Equal(2, await _alice.Messenger.DeliverPendingAsync(ct));

        var stored = _mailbox.EverStored.Select(DioneEnvelope.Parser.ParseFrom).Where(e => !e.Header.IsEmpty || !e.Intro.IsEmpty).ToList();
        Assert.Equal(2, stored.Count);
        Assert.All(stored, e => Assert.Equal(EnvelopeCodec.Version, e.Version));
        Assert.Single(stored, e => !e.Intro.IsEmpty);
        var received = new List<InboxEntry>();
        while (received.Count < 2)
        {
            received.AddRange(await _bob.Messenger.PollAsync(ct));
            ct.ThrowIfCancellationRequested();
        }
        Assert.Equal(["first", "second"], received.OrderBy(m => m.Sequence).Select(m => Encoding.UTF8.GetString(m.Body)));
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
        await _alice.Database.ReplaceOutboxEnvelopeAsync(first.Id, first.Address, carrier.ToByteArray(), ct);
        await _alice.Database.ReplaceOutboxEnvelopeAsync(second.Id, second.Address, next.ToByteArray(), ct);
    }
}
