using System.Text;
using Dione.Messaging.Envelopes;
using Dione.Messaging.Identity;
using Dione.Messaging.Protos;
using Dione.Messaging.X3dh;
using Dione.Messenger.Conversations;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Persistence;
using Dione.Messenger.Tests.TestSupport;
using Google.Protobuf;

namespace Dione.Messenger.Tests.Conversations;

/// <summary>
/// The prekey publication at its holders (docs/protocol.md §14.3): who can delete it, and what a sender accepts from
/// a holder that serves it.
/// </summary>
public sealed class PrekeyPublicationTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dione-prekey-tests-").FullName;
    private readonly InMemoryMailbox _mailbox = new(replication: 3);
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 8, 12, 0, 0, TimeSpan.Zero));
    private readonly List<MessengerDatabase> _databases = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_former_holder_cannot_delete_the_current_prekey_publication()
    {
        var ct = Timeouts.Token();
        var holders = new DeletionRecordingMailbox(_mailbox);
        var bob = await OpenAsync("bob", holders);
        Assert.Equal(3, await bob.PublishPrekeysAsync(ct));
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(3, await bob.PublishPrekeysAsync(ct)); // replaces the first: its holders see the DELETE and its token

        var (address, formerToken) = holders.Deletions[^1];
        Assert.Equal(0, await _mailbox.DeleteAsync(address, formerToken, MailboxTraffic.Introductions, ct));

        Assert.Equal(3, _mailbox.CopiesAt(address));
        var alice = await OpenAsync("alice", _mailbox);
        await alice.AddContactAsync("bob", bob.Address, ct);
        await alice.SendAsync("bob", Encoding.UTF8.GetBytes("on the current publication"), ct);
        Assert.Equal("on the current publication", Encoding.UTF8.GetString(Assert.Single(await bob.PollAsync(ct)).Body));
    }

    [Fact]
    public async Task A_restarted_node_replaces_its_own_prekey_publication_in_place()
    {
        var ct = Timeouts.Token();
        var bob = await OpenAsync("bob", _mailbox);
        Assert.Equal(3, await bob.PublishPrekeysAsync(ct));
        var first = await PublicationsAsync(bob);

        await CloseAsync();
        var restarted = await OpenAsync("bob", _mailbox);
        Assert.Equal(3, await restarted.PublishPrekeysAsync(ct));

        var second = await PublicationsAsync(restarted);
        Assert.Equal(Assert.Single(first).Address, Assert.Single(second).Address);
        Assert.NotEqual(first[0].DeletionHash, second[0].DeletionHash);
    }

    [Fact]
    public async Task A_sender_refuses_last_week_s_publication_served_at_this_week_s_address()
    {
        var ct = Timeouts.Token();
        var bob = await OpenAsync("bob", _mailbox);
        Assert.Equal(3, await bob.PublishPrekeysAsync(ct));
        var lastWeek = Assert.Single(await PublicationsAsync(bob));
        _time.Advance(PrekeyAddresses.Period);
        var replayed = lastWeek.Clone();
        replayed.Address = ByteString.CopyFrom(PrekeyAddresses.Compute(bob.Identity, PrekeyAddresses.PeriodAt(_time.GetUtcNow()), 0));
        ServeOnly(replayed);

        await AssertNoSessionStartsAsync(bob, "was made for period");
    }

    [Fact]
    public async Task A_sender_refuses_a_publication_whose_signed_prekey_its_owner_may_have_deleted()
    {
        var ct = Timeouts.Token();
        var bob = await OpenAsync("bob", _mailbox);
        var (seed, _) = (await _databases[^1].LoadIdentityAsync(ct))!.Value;
        var identity = DioneIdentity.FromSeed(seed);
        var now = _time.GetUtcNow();
        var old = PrekeyStore.Create(identity, now - PrekeyPolicy.Default.MaxSignedPrekeyAge - TimeSpan.FromDays(1));
        old.GenerateOneTimePrekeys(identity, 3);
        var period = PrekeyAddresses.PeriodAt(now);
        ServeOnly(new DioneEnvelope
        {
            Version = EnvelopeCodec.Version,
            Address = ByteString.CopyFrom(PrekeyAddresses.Compute(bob.Identity, period, 0)),
            Body = old.CreatePublication(identity, period).ToByteString(),
            ExpiresUnixSeconds = (ulong)PrekeyAddresses.ExpiryOf(period).ToUnixTimeSeconds(),
            DeletionHash = ByteString.CopyFrom(new byte[32]),
        });

        await AssertNoSessionStartsAsync(bob, "days old");
    }

    /// <summary>A hostile holder: the real holders are out of reach and it answers every fetch with <paramref name="envelope"/>.</summary>
    private void ServeOnly(DioneEnvelope envelope)
    {
        _mailbox.Down.UnionWith(_mailbox.Holders);
        _mailbox.Injected.Add(envelope.ToByteArray());
    }

    /// <summary>Alice's first message to Bob fails with a clear error naming <paramref name="reason"/>, and leaves no session behind.</summary>
    private async Task AssertNoSessionStartsAsync(DioneMessenger bob, string reason)
    {
        var ct = Timeouts.Token();
        var alice = await OpenAsync("alice", _mailbox);
        await alice.AddContactAsync("bob", bob.Address, ct);

        var refused = await Assert.ThrowsAsync<MessengerException>(() => alice.SendAsync("bob", Encoding.UTF8.GetBytes("on a stale publication"), ct));

        Assert.Contains("every publication found was refused", refused.Message, StringComparison.Ordinal);
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        Assert.Null(await _databases[^1].LoadSessionAsync("bob", ct));
        Assert.Empty(await _databases[^1].PendingAsync(ct));
    }

    private async Task<DioneMessenger> OpenAsync(string person, IMailbox mailbox)
    {
        var database = await MessengerDatabase.OpenAsync(Path.Combine(_directory, person + ".db"), _time);
        _databases.Add(database);
        return await DioneMessenger.OpenAsync(database, mailbox, time: _time);
    }

    /// <summary>Closes the last opened database, as if its process ended.</summary>
    private async Task CloseAsync()
    {
        await _databases[^1].DisposeAsync();
        _databases.RemoveAt(_databases.Count - 1);
    }

    /// <summary>The distinct envelopes at every prekey address a sender would look at now.</summary>
    private async Task<List<DioneEnvelope>> PublicationsAsync(DioneMessenger owner) =>
        [.. (await _mailbox.FetchAsync([.. PrekeyAddresses.ToFetch(owner.Identity, _time.GetUtcNow()).Select(a => a.Address)], MailboxTraffic.Contacting))
            .Select(Convert.ToHexString).Distinct().Select(hex => DioneEnvelope.Parser.ParseFrom(Convert.FromHexString(hex)))];
}
