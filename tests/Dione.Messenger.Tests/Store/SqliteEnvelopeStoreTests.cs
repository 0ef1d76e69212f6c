using Dione.Messaging.Protos;
using Dione.Messenger.Store;
using Dione.Messenger.Tests.TestSupport;
using Google.Protobuf;
using Status = Dione.Messenger.Protos.StoreResponse.Types.Status;

namespace Dione.Messenger.Tests.Store;

public sealed class SqliteEnvelopeStoreTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new();
    private SqliteEnvelopeStore _store = null!;

    private DateTimeOffset Now => _clock.GetUtcNow();

    public async Task InitializeAsync() => _store = await SqliteEnvelopeStore.OpenAsync(":memory:", timeProvider: _clock);

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Stored_envelope_is_fetched_by_its_address_exactly_as_sent()
    {
        var (envelope, _) = TestEnvelopes.Create(Now);
        var bytes = envelope.ToByteArray();
        Assert.True((await _store.StoreAsync(TestPeers.Random(), bytes)).IsOk);

        var found = await _store.FetchAsync([envelope.Address.Memory, new byte[32], envelope.Address.Memory]);

        Assert.Equal(bytes, Assert.Single(found));
        Assert.Equal(1, _store.Count);
        Assert.Equal(bytes.Length, _store.Bytes);
    }

    [Fact]
    public async Task A_retry_with_the_same_envelope_succeeds_but_a_different_one_under_the_same_address_is_refused()
    {
        var (first, _) = TestEnvelopes.Create(Now);
        var (second, _) = TestEnvelopes.Create(Now, address: first.Address.ToByteArray());
        var peer = TestPeers.Random();

        Assert.True((await _store.StoreAsync(peer, first.ToByteArray())).IsOk);
        Assert.True((await _store.StoreAsync(TestPeers.Random(), first.ToByteArray())).IsOk);
        var conflict = await _store.StoreAsync(peer, second.ToByteArray());

        Assert.Equal(Status.Conflict, conflict.Status);
        Assert.Equal(first.ToByteArray(), Assert.Single(await _store.FetchAsync([first.Address.Memory])));
        Assert.Equal(1, _store.Count);
    }

    [Theory]
    [InlineData(-1, Status.Expired)]
    [InlineData(0, Status.Expired)]
    [InlineData(15 * 24 * 3600, Status.Expired)]
    [InlineData(14 * 24 * 3600, Status.Ok)]
    public async Task Expiry_must_lie_between_now_and_the_maximum_lifetime(long lifetimeSeconds, Status expected)
    {
        var bytes = TestEnvelopes.Bytes(Now, TimeSpan.FromSeconds(lifetimeSeconds));
        Assert.Equal(expected, (await _store.StoreAsync(TestPeers.Random(), bytes)).Status);
    }

    [Fact]
    public async Task Malformed_envelopes_are_refused_with_their_reason()
    {
        var peer = TestPeers.Random();
        var (valid, _) = TestEnvelopes.Create(Now);

        Assert.Equal(Status.BadRequest, (await _store.StoreAsync(peer, new byte[] { 0xff, 0xff, 0xff })).Status);
        Assert.Equal(Status.UnsupportedVersion, (await _store.StoreAsync(peer, With(valid, e => e.Version = EnvelopeCheck.SupportedVersion + 1))).Status);
        Assert.Equal(Status.BadRequest, (await _store.StoreAsync(peer, With(valid, e => e.Address = ByteString.CopyFrom(new byte[31])))).Status);
        Assert.Equal(Status.BadRequest, (await _store.StoreAsync(peer, With(valid, e => e.DeletionHash = ByteString.Empty))).Status);
        Assert.Equal(Status.BadRequest, (await _store.StoreAsync(peer, With(valid, e => e.Body = ByteString.Empty))).Status);
        Assert.Equal(Status.TooLarge, (await _store.StoreAsync(peer, TestEnvelopes.Bytes(Now, bodyBytes: _store.Options.MaxEnvelopeBytes))).Status);
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public async Task A_peer_cannot_store_more_than_its_quota_while_others_still_can()
    {
        await using var store = await SqliteEnvelopeStore.OpenAsync(":memory:",
            new EnvelopeStoreOptions { MaxEnvelopesPerPeer = 3, MaxEnvelopes = 10, MaxBytesPerPeer = 1024 * 1024, MaxBytes = 8 * 1024 * 1024 }, _clock);
        var flooder = TestPeers.Random();
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await store.StoreAsync(flooder, TestEnvelopes.Bytes(Now))).IsOk);
        }

        Assert.Equal(Status.QuotaExceeded, (await store.StoreAsync(flooder, TestEnvelopes.Bytes(Now))).Status);
        Assert.True((await store.StoreAsync(TestPeers.Random(), TestEnvelopes.Bytes(Now))).IsOk);
    }

    [Fact]
    public async Task Bytes_per_peer_and_total_quotas_hold()
    {
        var options = new EnvelopeStoreOptions { MaxEnvelopeBytes = 4096, MaxBytesPerPeer = 8192, MaxBytes = 12288 };
        await using var store = await SqliteEnvelopeStore.OpenAsync(":memory:", options, _clock);
        var first = TestPeers.Random();
        Assert.True((await store.StoreAsync(first, TestEnvelopes.Bytes(Now, bodyBytes: 3500))).IsOk);
        Assert.True((await store.StoreAsync(first, TestEnvelopes.Bytes(Now, bodyBytes: 3500))).IsOk);
        Assert.Equal(Status.QuotaExceeded, (await store.StoreAsync(first, TestEnvelopes.Bytes(Now, bodyBytes: 3500))).Status);

        var second = TestPeers.Random();
        Assert.True((await store.StoreAsync(second, TestEnvelopes.Bytes(Now, bodyBytes: 3500))).IsOk);
        var full = await store.StoreAsync(second, TestEnvelopes.Bytes(Now, bodyBytes: 3500));
        Assert.Equal(Status.QuotaExceeded, full.Status);
        Assert.Contains("node", full.Reason);
    }

    [Fact]
    public async Task Only_the_token_whose_hash_the_envelope_carries_deletes_it()
    {
        var (envelope, token) = TestEnvelopes.Create(Now);
        await _store.StoreAsync(TestPeers.Random(), envelope.ToByteArray());
        var wrong = (byte[])token.Clone();
        wrong[0] ^= 1;

        Assert.Equal(Status.Forbidden, (await _store.DeleteAsync(envelope.Address.Memory, wrong)).Status);
        Assert.Single(await _store.FetchAsync([envelope.Address.Memory]));
        Assert.True((await _store.DeleteAsync(envelope.Address.Memory, token)).IsOk);
        Assert.Empty(await _store.FetchAsync([envelope.Address.Memory]));
        Assert.Equal(Status.NotFound, (await _store.DeleteAsync(envelope.Address.Memory, token)).Status);
        Assert.Equal(0, _store.Count);
        Assert.Equal(0, _store.Bytes);
    }

    [Fact]
    public async Task A_deleted_envelope_is_refused_as_deleted_until_it_expires_but_another_envelope_may_take_its_address()
    {
        var (envelope, token) = TestEnvelopes.Create(Now, TimeSpan.FromHours(1));
        var (replacement, _) = TestEnvelopes.Create(Now, TimeSpan.FromHours(1), address: envelope.Address.ToByteArray());
        Assert.True((await _store.StoreAsync(TestPeers.Random(), envelope.ToByteArray())).IsOk);
        Assert.True((await _store.DeleteAsync(envelope.Address.Memory, token)).IsOk);

        var again = await _store.StoreAsync(TestPeers.Random(), envelope.ToByteArray());

        Assert.Equal(Status.NotFound, again.Status);
        Assert.Contains("deleted", again.Reason);
        Assert.Empty(await _store.FetchAsync([envelope.Address.Memory]));
        Assert.Equal((0, 1), (_store.Count, _store.Tombstones));
        var (address, kept) = Assert.Single(await _store.TombstonesAsync());
        Assert.Equal(envelope.Address.ToByteArray(), address);
        Assert.Equal(token, kept);
        Assert.True((await _store.StoreAsync(TestPeers.Random(), replacement.ToByteArray())).IsOk);

        _clock.Advance(TimeSpan.FromHours(2));
        await _store.PruneExpiredAsync();
        Assert.Equal((0, 0), (_store.Count, _store.Tombstones));
        Assert.Empty(await _store.TombstonesAsync());
    }

    [Fact]
    public async Task A_delete_at_an_address_this_node_does_not_hold_leaves_no_tombstone()
    {
        var (envelope, token) = TestEnvelopes.Create(Now);

        Assert.Equal(Status.NotFound, (await _store.DeleteAsync(envelope.Address.Memory, token)).Status);

        Assert.Equal(0, _store.Tombstones);
        Assert.True((await _store.StoreAsync(TestPeers.Random(), envelope.ToByteArray())).IsOk);
    }

    [Fact]
    public async Task Tombstones_are_bounded_and_the_one_expiring_first_is_dropped()
    {
        await using var store = await SqliteEnvelopeStore.OpenAsync(":memory:", new EnvelopeStoreOptions { MaxTombstones = 2 }, _clock);
        var deleted = new List<DioneEnvelope>();
        foreach (var hours in new[] { 3, 1, 2 })
        {
            var (envelope, token) = TestEnvelopes.Create(Now, TimeSpan.FromHours(hours));
            Assert.True((await store.StoreAsync(TestPeers.Random(), envelope.ToByteArray())).IsOk);
            Assert.True((await store.DeleteAsync(envelope.Address.Memory, token)).IsOk);
            deleted.Add(envelope);
        }

        Assert.Equal(2, store.Tombstones);
        Assert.Equal(Status.NotFound, (await store.StoreAsync(TestPeers.Random(), deleted[0].ToByteArray())).Status);
        Assert.True((await store.StoreAsync(TestPeers.Random(), deleted[1].ToByteArray())).IsOk);
        Assert.Equal(Status.NotFound, (await store.StoreAsync(TestPeers.Random(), deleted[2].ToByteArray())).Status);
    }

    [Fact]
    public async Task A_deletion_token_longer_than_a_tombstone_keeps_is_refused()
    {
        var token = new byte[EnvelopeCheck.MaxDeletionTokenLength + 1];
        var envelope = TestEnvelopes.Create(Now).Envelope;
        envelope.DeletionHash = ByteString.CopyFrom(System.Security.Cryptography.SHA256.HashData(token));
        await _store.StoreAsync(TestPeers.Random(), envelope.ToByteArray());

        Assert.Equal(Status.BadRequest, (await _store.DeleteAsync(envelope.Address.Memory, token)).Status);
        Assert.Equal(Status.BadRequest, (await _store.DeleteAsync(envelope.Address.Memory, Array.Empty<byte>())).Status);
        Assert.Single(await _store.FetchAsync([envelope.Address.Memory]));
    }

    [Fact]
    public async Task Expired_envelopes_are_not_served_and_are_pruned()
    {
        var (shortLived, _) = TestEnvelopes.Create(Now, TimeSpan.FromHours(1));
        var (longLived, _) = TestEnvelopes.Create(Now, TimeSpan.FromDays(2));
        await _store.StoreAsync(TestPeers.Random(), shortLived.ToByteArray());
        await _store.StoreAsync(TestPeers.Random(), longLived.ToByteArray());

        _clock.Advance(TimeSpan.FromHours(2));

        Assert.Single(await _store.FetchAsync([shortLived.Address.Memory, longLived.Address.Memory]));
        Assert.Equal(1, await _store.PruneExpiredAsync());
        Assert.Equal(1, _store.Count);
        Assert.Single(await _store.AddressesAsync());
    }

    [Fact]
    public async Task Envelopes_and_tombstones_survive_reopening_the_database()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dione-envelopes-{Guid.NewGuid():N}.db");
        try
        {
            var (envelope, token) = TestEnvelopes.Create(Now);
            var peer = TestPeers.Random();
            await using (var first = await SqliteEnvelopeStore.OpenAsync(path, timeProvider: _clock))
            {
                Assert.True((await first.StoreAsync(peer, envelope.ToByteArray())).IsOk);
            }
            await using var second = await SqliteEnvelopeStore.OpenAsync(path, timeProvider: _clock);
            Assert.Equal(1, second.Count);
            Assert.Equal(envelope.ToByteArray(), Assert.Single(await second.FetchAsync([envelope.Address.Memory])));
            Assert.True((await second.DeleteAsync(envelope.Address.Memory, token)).IsOk);
            await using var third = await SqliteEnvelopeStore.OpenAsync(path, timeProvider: _clock);
            Assert.Equal(1, third.Tombstones);
            Assert.Equal(Status.NotFound, (await third.StoreAsync(peer, envelope.ToByteArray())).Status);
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(path) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    private static byte[] With(DioneEnvelope valid, Action<DioneEnvelope> change)
    {
        var copy = valid.Clone();
        change(copy);
        return copy.ToByteArray();
    }
}
