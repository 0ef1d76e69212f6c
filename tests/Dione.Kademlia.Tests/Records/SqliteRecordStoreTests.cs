using Dione.Kademlia.Records;
using Google.Protobuf;

namespace Dione.Kademlia.Tests.Records;

public sealed class SqliteRecordStoreTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken Token = CancellationToken.None;

    private readonly TempDatabase _database = new();
    private readonly ManualTimeProvider _clock = new(Start);

    public void Dispose() => _database.Dispose();

    private Task<SqliteRecordStore> OpenAsync(SqliteRecordStoreOptions? options = null, string? path = null) =>
        SqliteRecordStore.OpenAsync(path ?? _database.Path, options, _clock);

    private static Protos.Record Record(string key, int valueLength = 3, string timeReceived = "") => new()
    {
        Key = ByteString.CopyFromUtf8(key),
        Value = ByteString.CopyFrom(Enumerable.Range(0, valueLength).Select(i => (byte)(i + key.Length)).ToArray()),
        TimeReceived = timeReceived,
    };

    private static byte[] Key(string key) => System.Text.Encoding.UTF8.GetBytes(key);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_put_record_reads_back_with_its_time_received(bool inMemory)
    {
        await using var store = await OpenAsync(path: inMemory ? ":memory:" : null);
        var record = Record("/pk/a");

        await store.PutAsync(record, Token);
        var read = await store.GetAsync(Key("/pk/a"), Token);

        Assert.NotNull(read);
        Assert.Equal(record.Key, read.Key);
        Assert.Equal(record.Value, read.Value);
        Assert.Equal("2026-03-01T12:00:00Z", read.TimeReceived);
        Assert.Null(await store.GetAsync(Key("/pk/b"), Token));
        Assert.Equal(1, store.Count);
        Assert.Equal(3, store.TotalValueBytes);
    }

    [Fact]
    public async Task In_memory_stores_are_private_to_each_object()
    {
        await using var first = await OpenAsync(path: ":memory:");
        await using var second = await OpenAsync(path: ":memory:");

        await first.PutAsync(Record("/pk/a"), Token);

        Assert.Null(await second.GetAsync(Key("/pk/a"), Token));
    }

    [Fact]
    public async Task A_put_replaces_the_earlier_record_for_its_key()
    {
        await using var store = await OpenAsync();

        await store.PutAsync(Record("/pk/a", 3), Token);
        await store.PutAsync(Record("/pk/a", 10), Token);

        Assert.Equal(10, (await store.GetAsync(Key("/pk/a"), Token))!.Value.Length);
        Assert.Equal(1, store.Count);
        Assert.Equal(10, store.TotalValueBytes);
    }

    [Theory]
    [InlineData("2026-03-01T11:00:00.5Z", "2026-03-01T11:00:00.5Z")]
    [InlineData("2026-03-01T13:00:00+02:00", "2026-03-01T11:00:00Z")]
    [InlineData("2026-03-02T12:00:00Z", "2026-03-01T12:00:00Z")]
    [InlineData("yesterday", "2026-03-01T12:00:00Z")]
    public async Task A_past_time_received_is_kept_and_anything_else_becomes_now(string given, string kept)
    {
        await using var store = await OpenAsync();

        await store.PutAsync(Record("/pk/a", timeReceived: given), Token);

        Assert.Equal(kept, (await store.GetAsync(Key("/pk/a"), Token))!.TimeReceived);
    }

    [Fact]
    public async Task Records_expire_48_hours_after_they_were_received()
    {
        await using var store = await OpenAsync();
        await store.PutAsync(Record("/pk/a"), Token);
        await store.PutAsync(Record("/pk/b", timeReceived: "2026-03-01T11:00:00Z"), Token);

        _clock.Advance(TimeSpan.FromHours(46));
        Assert.NotNull(await store.GetAsync(Key("/pk/b"), Token));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(await store.GetAsync(Key("/pk/b"), Token));
        Assert.NotNull(await store.GetAsync(Key("/pk/a"), Token));
        Assert.Equal(1, await store.PruneExpiredAsync(Token));
        _clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromMilliseconds(1));
        Assert.NotNull(await store.GetAsync(Key("/pk/a"), Token));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await store.GetAsync(Key("/pk/a"), Token));
        Assert.Equal(1, await store.PruneExpiredAsync(Token));
        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.TotalValueBytes);
    }

    [Fact]
    public async Task A_record_received_longer_ago_than_the_lifetime_is_not_stored()
    {
        await using var store = await OpenAsync();

        await store.PutAsync(Record("/pk/a", timeReceived: "2026-02-27T11:59:59Z"), Token);

        Assert.Null(await store.GetAsync(Key("/pk/a"), Token));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task The_record_count_is_bounded_and_expired_records_make_room()
    {
        await using var store = await OpenAsync(new SqliteRecordStoreOptions { MaxRecords = 3 });
        for (var i = 0; i < 3; i++)
        {
            await store.PutAsync(Record($"/pk/{i}"), Token);
        }

        await Assert.ThrowsAsync<StoreLimitException>(() => store.PutAsync(Record("/pk/3"), Token));
        await store.PutAsync(Record("/pk/0", 5), Token);
        Assert.Equal(3, store.Count);

        _clock.Advance(TimeSpan.FromHours(48));
        await store.PutAsync(Record("/pk/3"), Token);
        Assert.Equal(1, store.Count);
        Assert.NotNull(await store.GetAsync(Key("/pk/3"), Token));
    }

    [Fact]
    public async Task Total_value_bytes_are_bounded()
    {
        await using var store = await OpenAsync(new SqliteRecordStoreOptions { MaxTotalValueBytes = 100 });

        await store.PutAsync(Record("/pk/a", 60), Token);
        await store.PutAsync(Record("/pk/b", 40), Token);
        await Assert.ThrowsAsync<StoreLimitException>(() => store.PutAsync(Record("/pk/c", 1), Token));
        await Assert.ThrowsAsync<StoreLimitException>(() => store.PutAsync(Record("/pk/a", 61), Token));
        await store.PutAsync(Record("/pk/a", 59), Token);
        await store.PutAsync(Record("/pk/c", 1), Token);

        Assert.Equal(100, store.TotalValueBytes);
        Assert.Equal(3, store.Count);
    }

    [Fact]
    public async Task Oversized_keys_and_values_and_empty_keys_are_refused()
    {
        await using var store = await OpenAsync(new SqliteRecordStoreOptions { MaxKeyBytes = 8, MaxValueBytes = 16 });

        await Assert.ThrowsAsync<StoreLimitException>(() => store.PutAsync(Record("/pk/12345"), Token));
        await Assert.ThrowsAsync<StoreLimitException>(() => store.PutAsync(Record("/pk/a", 17), Token));
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(Record(""), Token));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task A_new_store_on_the_same_file_keeps_everything()
    {
        await using (var store = await OpenAsync())
        {
            for (var i = 0; i < 50; i++)
            {
                await store.PutAsync(Record($"/pk/{i}", i + 1), Token);
            }
        }

        await using var reopened = await OpenAsync();

        Assert.Equal(50, reopened.Count);
        Assert.Equal(Enumerable.Range(1, 50).Sum(), reopened.TotalValueBytes);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(i + 1, (await reopened.GetAsync(Key($"/pk/{i}"), Token))!.Value.Length);
        }
    }

    [Fact]
    public async Task Parallel_puts_and_gets_all_land()
    {
        await using var store = await OpenAsync();

        await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(async () =>
        {
            await store.PutAsync(Record($"/pk/{i % 200}", 1 + (i % 7)), Token);
            await store.GetAsync(Key($"/pk/{(i * 7) % 200}"), Token);
        })));

        Assert.Equal(200, store.Count);
        for (var i = 0; i < 200; i++)
        {
            Assert.NotNull(await store.GetAsync(Key($"/pk/{i}"), Token));
        }
        await using var reopened = await OpenAsync();
        Assert.Equal(store.TotalValueBytes, reopened.TotalValueBytes);
    }

    [Fact]
    public async Task Record_and_provider_stores_share_one_file_in_parallel()
    {
        await using var records = await OpenAsync();
        await using var providers = await SqliteProviderStore.OpenAsync(_database.Path, timeProvider: _clock);
        var peer = new KadPeer(Dione.Libp2p.Identity.PeerId.FromPublicKey(Dione.Libp2p.Identity.PrivateKey.Generate().PublicKey), []);

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() => i % 2 == 0
            ? records.PutAsync(Record($"/pk/{i}"), Token)
            : providers.AddAsync([(byte)i], peer, Token))));

        Assert.Equal(50, records.Count);
        Assert.Equal(50, providers.KeyCount);
    }

    [Fact]
    public async Task Malformed_rows_read_as_absent_and_are_pruned()
    {
        await using (await OpenAsync())
        {
        }
        var now = Start.ToUnixTimeMilliseconds();
        _database.Execute(
            "INSERT INTO kad_records VALUES ($k1, 'text value', 'x', $now), ($k2, x'0102', 42, $now), ($k3, x'03', 'x', 'not a time'), ($k4, 7, 'x', $now)",
            ("$k1", Key("/pk/text")), ("$k2", Key("/pk/odd-time")), ("$k3", Key("/pk/no-time")), ("$k4", Key("/pk/int")), ("$now", now));

        await using var store = await OpenAsync();

        Assert.Equal(4, store.Count);
        Assert.Null(await store.GetAsync(Key("/pk/text"), Token));
        Assert.Null(await store.GetAsync(Key("/pk/no-time"), Token));
        Assert.Null(await store.GetAsync(Key("/pk/int"), Token));
        var odd = await store.GetAsync(Key("/pk/odd-time"), Token);
        Assert.Equal([1, 2], odd!.Value.ToByteArray());
        Assert.Equal("2026-03-01T12:00:00Z", odd.TimeReceived);
        Assert.Equal(1, await store.PruneExpiredAsync(Token));
        await store.PutAsync(Record("/pk/text"), Token);
        Assert.NotNull(await store.GetAsync(Key("/pk/text"), Token));
    }

    [Fact]
    public async Task A_disposed_store_refuses_work()
    {
        var store = await OpenAsync();
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetAsync(Key("/pk/a"), Token));
    }
}
