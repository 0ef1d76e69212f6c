using Dione.Kademlia.Records;

namespace Dione.Kademlia.Tests.Records;

/// <summary>The keys we provide: remembered in the database file, due once their last announcement is old enough.</summary>
public sealed class SqliteProvidedKeyStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken Token = CancellationToken.None;

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static byte[] Key(int i) => [0x12, 0x20, .. BitConverter.GetBytes(i), .. new byte[28]];

    [Fact]
    public async Task Never_announced_keys_are_due_first_then_the_oldest_announcements_up_to_the_cutoff()
    {
        await using var store = await SqliteProvidedKeyStore.OpenAsync(_database.Path);
        await store.AddAsync(Key(1), Token);
        await store.AddAsync(Key(2), Token);
        await store.AddAsync(Key(3), Token);
        Assert.True(await store.MarkProvidedAsync(Key(1), T0, Token));
        Assert.True(await store.MarkProvidedAsync(Key(3), T0 + TimeSpan.FromHours(1), Token));

        Assert.Equal([Key(2)], await store.GetDueAsync(T0 - TimeSpan.FromMilliseconds(1), 10, 0, Token));
        Assert.Equal([Key(2), Key(1)], await store.GetDueAsync(T0, 10, 0, Token));
        Assert.Equal([Key(2), Key(1), Key(3)], await store.GetDueAsync(T0 + TimeSpan.FromHours(2), 10, 0, Token));
        Assert.Equal([Key(1)], await store.GetDueAsync(T0 + TimeSpan.FromHours(2), 1, 1, Token));
        Assert.Empty(await store.GetDueAsync(T0 + TimeSpan.FromHours(2), 0, 0, Token));
    }

    [Fact]
    public async Task Adding_a_key_again_keeps_its_last_announcement()
    {
        await using var store = await SqliteProvidedKeyStore.OpenAsync(_database.Path);
        await store.AddAsync(Key(1), Token);
        await store.MarkProvidedAsync(Key(1), T0, Token);

        await store.AddAsync(Key(1), Token);

        Assert.Empty(await store.GetDueAsync(T0 - TimeSpan.FromSeconds(1), 10, 0, Token));
        Assert.Equal(1, await store.CountAsync(Token));
    }

    [Fact]
    public async Task Keys_and_times_survive_reopening_the_file_and_removal_is_kept_too()
    {
        await using (var store = await SqliteProvidedKeyStore.OpenAsync(_database.Path))
        {
            await store.AddAsync(Key(1), Token);
            await store.AddAsync(Key(2), Token);
            await store.MarkProvidedAsync(Key(1), T0, Token);
        }
        await using (var reopened = await SqliteProvidedKeyStore.OpenAsync(_database.Path))
        {
            Assert.Equal([Key(2)], await reopened.GetDueAsync(T0 - TimeSpan.FromSeconds(1), 10, 0, Token));
            Assert.Equal([Key(2), Key(1)], await reopened.GetDueAsync(T0, 10, 0, Token));
            Assert.True(await reopened.RemoveAsync(Key(2), Token));
            Assert.False(await reopened.RemoveAsync(Key(2), Token));
        }
        await using var again = await SqliteProvidedKeyStore.OpenAsync(_database.Path);
        Assert.Equal([Key(1)], await again.GetDueAsync(T0, 10, 0, Token));
        Assert.False(await again.MarkProvidedAsync(Key(2), T0, Token));
    }

    [Fact]
    public async Task New_keys_beyond_the_bound_are_refused_and_bad_keys_rejected()
    {
        await using var store = await SqliteProvidedKeyStore.OpenAsync(":memory:", maxKeys: 2);
        await store.AddAsync(Key(1), Token);
        await store.AddAsync(Key(2), Token);

        await Assert.ThrowsAsync<StoreLimitException>(() => store.AddAsync(Key(3), Token));
        await store.AddAsync(Key(2), Token);
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddAsync([], Token));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddAsync(new byte[81], Token));
        Assert.Equal(2, await store.CountAsync(Token));
    }

    [Fact]
    public async Task Rows_written_by_someone_else_that_are_not_keys_are_never_returned()
    {
        await using (var store = await SqliteProvidedKeyStore.OpenAsync(_database.Path))
        {
            await store.AddAsync(Key(1), Token);
        }
        _database.Execute("INSERT INTO kad_provided (key, last_provided_unix_ms) VALUES ('text key', 0)");
        _database.Execute("INSERT INTO kad_provided (key, last_provided_unix_ms) VALUES ($key, 0)", ("$key", new byte[200]));
        _database.Execute("INSERT INTO kad_provided (key, last_provided_unix_ms) VALUES ($key, 'soon')", ("$key", Key(9)));

        await using var reopened = await SqliteProvidedKeyStore.OpenAsync(_database.Path);

        Assert.Equal([Key(9), Key(1)], await reopened.GetDueAsync(T0, 10, 0, Token));
    }
}
