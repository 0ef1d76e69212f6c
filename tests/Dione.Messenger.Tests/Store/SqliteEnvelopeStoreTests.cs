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
        Assert.True((await _store.StoreAsync(bytes, allowance: null)).IsOk);

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

        Assert.True((await _store.StoreAsync(first.ToByteArray(), allowance: null)).IsOk);
        Assert.True((await _store.StoreAsync(first.ToByteArray(), allowance: null)).IsOk);
        var conflict = await _store.StoreAsync(second.ToByteArray(), allowance: null);

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
        Assert.Equal(expected, (await _store.StoreAsync(bytes, allowance: null)).Status);
    }

    [Fact]
    public async Task Malformed_envelopes_are_refused_with_their_reason()
    {
        var (valid, _) = TestEnvelopes.Create(Now);

        Assert.Equal(Status.BadRequest, (await _store.StoreAsync(new byte[] { 0xff, 0xff, 0xff }, allowance: null)).Status);
        Assert.Equal(Status.UnsupportedVersion, (await _store.StoreAsync(With(valid, e => e.Version = EnvelopeCheck.SupportedVersion + 1), allowance: null)).Status);
        Assert.Equal(Status.BadRequest, (await _store.StoreAsync(With(valid, e => e.Address = ByteString.CopyFrom(new byte[31])), allowance: null)).Status);
        Assert.Equal(Status.BadRequest, (await _store.StoreAsync(With(valid, e => e.DeletionHash = ByteString.Empty), allowance: null)).Status);
        Assert.Equal(Status.BadRequest, (await _store.StoreAsync(With(valid, e => e.Body = ByteString.Empty), allowance: null)).Status);
        Assert.Equal(Status.TooLarge, (await _store.StoreAsync(TestEnvelopes.Bytes(Now, bodyBytes: _store.Options.MaxEnvelopeBytes), allowance: null)).Status);
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public async Task The_storers_allowance_is_charged_only_for_new_envelopes_and_its_refusal_stores_nothing()
    {
        var allowance = new CountingAllowance(limit: 2);
        var (first, _) = TestEnvelopes.Create(Now);
        var (rival, _) = TestEnvelopes.Create(Now, address: first.Address.ToByteArray());

        Assert.True((await _store.StoreAsync(first.ToByteArray(), allowance)).IsOk);
        Assert.True((await _store.StoreAsync(first.ToByteArray(), allowance)).IsOk); // a retry costs nothing
        Assert.Equal(Status.Conflict, (await _store.StoreAsync(rival.ToByteArray(), allowance)).Status); // nor does a refusal
        Assert.True((await _store.StoreAsync(TestEnvelopes.Bytes(Now), allowance)).IsOk);
        var refused = await _store.StoreAsync(TestEnvelopes.Bytes(Now), allowance);

        Assert.Equal(Status.QuotaExceeded, refused.Status);
        Assert.Equal(CountingAllowance.Reason, refused.Reason);
        Assert.Equal(2, allowance.Taken);
        Assert.Equal(2, _store.Count);
        Assert.True((await _store.StoreAsync(TestEnvelopes.Bytes(Now), allowance: null)).IsOk); // the node's own: totals only
    }

    [Fact]
    public async Task The_nodes_total_quotas_hold_whoever_stores()
    {
        var options = new EnvelopeStoreOptions { MaxEnvelopeBytes = 4096, MaxBytesPerConnection = 8192, MaxBytesPerIpPerDay = 8192, MaxBytes = 12288 };
        await using var store = await SqliteEnvelopeStore.OpenAsync(":memory:", options, _clock);
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await store.StoreAsync(TestEnvelopes.Bytes(Now, bodyBytes: 3500), new CountingAllowance(limit: 10))).IsOk);
        }

        var full = await store.StoreAsync(TestEnvelopes.Bytes(Now, bodyBytes: 3500), new CountingAllowance(limit: 10));

        Assert.Equal(Status.QuotaExceeded, full.Status);
        Assert.Contains("node", full.Reason);
    }

    [Fact]
    public async Task Who_stored_an_envelope_is_not_recorded()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dione-envelopes-{Guid.NewGuid():N}.db");
        try
        {
            await using (var store = await SqliteEnvelopeStore.OpenAsync(path, timeProvider: _clock))
            {
                Assert.True((await store.StoreAsync(TestEnvelopes.Bytes(Now), new CountingAllowance(limit: 1))).IsOk);
            }
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}");
            await connection.OpenAsync();
            await using var select = connection.CreateCommand();
            select.CommandText = "SELECT COUNT(*), SUM(length(stored_by)) FROM dione_envelopes";
            await using var reader = await select.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal((1L, 0L), (reader.GetInt64(0), reader.GetInt64(1)));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(path) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public async Task Only_the_token_whose_hash_the_envelope_carries_deletes_it()
    {
        var (envelope, token) = TestEnvelopes.Create(Now);
        await _store.StoreAsync(envelope.ToByteArray(), allowance: null);
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
        Assert.True((await _store.StoreAsync(envelope.ToByteArray(), allowance: null)).IsOk);
        Assert.True((await _store.DeleteAsync(envelope.Address.Memory, token)).IsOk);

        var again = await _store.StoreAsync(envelope.ToByteArray(), allowance: null);

        Assert.Equal(Status.NotFound, again.Status);
        Assert.Contains("deleted", again.Reason);
        Assert.Empty(await _store.FetchAsync([envelope.Address.Memory]));
        Assert.Equal((0, 1), (_store.Count, _store.Tombstones));
        var (address, kept) = Assert.Single(await _store.TombstonesAsync());
        Assert.Equal(envelope.Address.ToByteArray(), address);
        Assert.Equal(token, kept);
        Assert.True((await _store.StoreAsync(replacement.ToByteArray(), allowance: null)).IsOk);

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
        Assert.True((await _store.StoreAsync(envelope.ToByteArray(), allowance: null)).IsOk);
    }

    [Fact]
    public async Task Tombstones_are_bounded_and_the_one_expiring_first_is_dropped()
    {
        await using var store = await SqliteEnvelopeStore.OpenAsync(":memory:", new EnvelopeStoreOptions { MaxTombstones = 2 }, _clock);
        var deleted = new List<DioneEnvelope>();
        foreach (var hours in new[] { 3, 1, 2 })
        {
            var (envelope, token) = TestEnvelopes.Create(Now, TimeSpan.FromHours(hours));
            Assert.True((await store.StoreAsync(envelope.ToByteArray(), allowance: null)).IsOk);
            Assert.True((await store.DeleteAsync(envelope.Address.Memory, token)).IsOk);
            deleted.Add(envelope);
        }

        Assert.Equal(2, store.Tombstones);
        Assert.Equal(Status.NotFound, (await store.StoreAsync(deleted[0].ToByteArray(), allowance: null)).Status);
        Assert.True((await store.StoreAsync(deleted[1].ToByteArray(), allowance: null)).IsOk);
        Assert.Equal(Status.NotFound, (await store.StoreAsync(deleted[2].ToByteArray(), allowance: null)).Status);
    }

    [Fact]
    public async Task A_deletion_token_longer_than_a_tombstone_keeps_is_refused()
    {
        var token = new byte[EnvelopeCheck.MaxDeletionTokenLength + 1];
        var envelope = TestEnvelopes.Create(Now).Envelope;
        envelope.DeletionHash = ByteString.CopyFrom(System.Security.Cryptography.SHA256.HashData(token));
        await _store.StoreAsync(envelope.ToByteArray(), allowance: null);

        Assert.Equal(Status.BadRequest, (await _store.DeleteAsync(envelope.Address.Memory, token)).Status);
        Assert.Equal(Status.BadRequest, (await _store.DeleteAsync(envelope.Address.Memory, Array.Empty<byte>())).Status);
        Assert.Single(await _store.FetchAsync([envelope.Address.Memory]));
    }

    [Fact]
    public async Task Expired_envelopes_are_not_served_and_are_pruned()
    {
        var (shortLived, _) = TestEnvelopes.Create(Now, TimeSpan.FromHours(1));
        var (longLived, _) = TestEnvelopes.Create(Now, TimeSpan.FromDays(2));
        await _store.StoreAsync(shortLived.ToByteArray(), allowance: null);
        await _store.StoreAsync(longLived.ToByteArray(), allowance: null);

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
            await using (var first = await SqliteEnvelopeStore.OpenAsync(path, timeProvider: _clock))
            {
                Assert.True((await first.StoreAsync(envelope.ToByteArray(), allowance: null)).IsOk);
            }
            await using var second = await SqliteEnvelopeStore.OpenAsync(path, timeProvider: _clock);
            Assert.Equal(1, second.Count);
            Assert.Equal(envelope.ToByteArray(), Assert.Single(await second.FetchAsync([envelope.Address.Memory])));
            Assert.True((await second.DeleteAsync(envelope.Address.Memory, token)).IsOk);
            await using var third = await SqliteEnvelopeStore.OpenAsync(path, timeProvider: _clock);
            Assert.Equal(1, third.Tombstones);
            Assert.Equal(Status.NotFound, (await third.StoreAsync(envelope.ToByteArray(), allowance: null)).Status);
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
