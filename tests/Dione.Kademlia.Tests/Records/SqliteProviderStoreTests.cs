using Dione.Kademlia.Records;
using Dione.Libp2p.Identity;
using Dione.Libp2p.Multiformats.Multiaddr;
using Google.Protobuf;

namespace Dione.Kademlia.Tests.Records;

public sealed class SqliteProviderStoreTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken Token = CancellationToken.None;
    private static readonly byte[] Cid = Convert.FromHexString("1220" + new string('a', 64));

    private readonly TempDatabase _database = new();
    private readonly ManualTimeProvider _clock = new(Start);

    public void Dispose() => _database.Dispose();

    private Task<SqliteProviderStore> OpenAsync(SqliteProviderStoreOptions? options = null, string? path = null) =>
        SqliteProviderStore.OpenAsync(path ?? _database.Path, options, _clock);

    private static PeerId NewPeer() => PeerId.FromPublicKey(PrivateKey.Generate().PublicKey);

    private static KadPeer Provider(PeerId id, params string[] addresses) =>
        new(id, [.. addresses.Select(Multiaddress.Parse)]);

    private static byte[] KeyNumber(int i) => [0x12, 0x20, .. BitConverter.GetBytes(i), .. new byte[28]];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_provider_reads_back_with_its_addresses(bool inMemory)
    {
        await using var store = await OpenAsync(path: inMemory ? ":memory:" : null);
        var provider = Provider(NewPeer(), "/ip4/127.0.0.1/tcp/4001", "/ip6/::1/udp/4001/quic-v1", "/dns4/example.com/tcp/443/tls/ws");

        await store.AddAsync(Cid, provider, Token);
        var read = Assert.Single(await store.GetAsync(Cid, 20, Token));

        Assert.Equal(provider.PeerId, read.PeerId);
        Assert.Equal(provider.Addresses, read.Addresses);
        Assert.Equal(Protos.Message.Types.ConnectionType.NotConnected, read.Connection);
        Assert.Empty(await store.GetAsync(KeyNumber(1), 20, Token));
        Assert.Empty(await store.GetAsync(Cid, 0, Token));
    }

    [Fact]
    public async Task Providers_come_newest_first_up_to_max()
    {
        await using var store = await OpenAsync();
        var peers = Enumerable.Range(0, 5).Select(_ => NewPeer()).ToList();
        foreach (var peer in peers)
        {
            await store.AddAsync(Cid, Provider(peer), Token);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        var newestThree = await store.GetAsync(Cid, 3, Token);

        Assert.Equal(peers.AsEnumerable().Reverse().Take(3), newestThree.Select(p => p.PeerId));
        Assert.Equal(5, (await store.GetAsync(Cid, 100, Token)).Count);
        Assert.Equal(1, store.KeyCount);
        Assert.Equal(5, store.EntryCount);
    }

    [Fact]
    public async Task Adding_again_refreshes_the_time_and_replaces_addresses_unless_none_are_given()
    {
        await using var store = await OpenAsync();
        var peer = NewPeer();
        await store.AddAsync(Cid, Provider(peer, "/ip4/10.0.0.1/tcp/1"), Token);

        _clock.Advance(TimeSpan.FromHours(40));
        await store.AddAsync(Cid, Provider(peer, "/ip4/10.0.0.2/tcp/2"), Token);
        _clock.Advance(TimeSpan.FromHours(40));
        await store.AddAsync(Cid, Provider(peer), Token);
        _clock.Advance(TimeSpan.FromHours(40));

        var read = Assert.Single(await store.GetAsync(Cid, 10, Token));
        Assert.Equal([Multiaddress.Parse("/ip4/10.0.0.2/tcp/2")], read.Addresses);
        Assert.Equal(1, store.EntryCount);
    }

    [Fact]
    public async Task Providers_expire_after_48_hours()
    {
        await using var store = await OpenAsync();
        await store.AddAsync(Cid, Provider(NewPeer()), Token);
        _clock.Advance(TimeSpan.FromHours(1));
        await store.AddAsync(KeyNumber(1), Provider(NewPeer()), Token);

        _clock.Advance(TimeSpan.FromHours(47) - TimeSpan.FromMilliseconds(1));
        Assert.Single(await store.GetAsync(Cid, 10, Token));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Empty(await store.GetAsync(Cid, 10, Token));
        Assert.Single(await store.GetAsync(KeyNumber(1), 10, Token));

        Assert.Equal(1, await store.PruneExpiredAsync(Token));
        Assert.Equal(1, store.KeyCount);
        Assert.Equal(1, store.EntryCount);
    }

    [Fact]
    public async Task Each_key_keeps_its_newest_providers()
    {
        await using var store = await OpenAsync(new SqliteProviderStoreOptions { MaxProvidersPerKey = 3 });
        var peers = Enumerable.Range(0, 6).Select(_ => NewPeer()).ToList();
        foreach (var peer in peers)
        {
            await store.AddAsync(Cid, Provider(peer), Token);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(peers[3..].AsEnumerable().Reverse(), (await store.GetAsync(Cid, 10, Token)).Select(p => p.PeerId));
        Assert.Equal(3, store.EntryCount);
    }

    [Fact]
    public async Task The_number_of_keys_is_bounded_and_expired_keys_make_room()
    {
        await using var store = await OpenAsync(new SqliteProviderStoreOptions { MaxKeys = 2 });
        await store.AddAsync(KeyNumber(1), Provider(NewPeer()), Token);
        await store.AddAsync(KeyNumber(2), Provider(NewPeer()), Token);

        await Assert.ThrowsAsync<StoreLimitException>(() => store.AddAsync(KeyNumber(3), Provider(NewPeer()), Token));
        await store.AddAsync(KeyNumber(2), Provider(NewPeer()), Token);
        Assert.Equal(2, store.KeyCount);

        _clock.Advance(TimeSpan.FromHours(48));
        await store.AddAsync(KeyNumber(3), Provider(NewPeer()), Token);
        Assert.Equal(1, store.KeyCount);
        Assert.Equal(1, store.EntryCount);
    }

    [Fact]
    public async Task The_number_of_entries_is_bounded_but_a_full_key_may_rotate()
    {
        await using var store = await OpenAsync(new SqliteProviderStoreOptions { MaxEntries = 4, MaxProvidersPerKey = 2 });
        await store.AddAsync(KeyNumber(1), Provider(NewPeer()), Token);
        await store.AddAsync(KeyNumber(1), Provider(NewPeer()), Token);
        await store.AddAsync(KeyNumber(2), Provider(NewPeer()), Token);
        await store.AddAsync(KeyNumber(3), Provider(NewPeer()), Token);

        await Assert.ThrowsAsync<StoreLimitException>(() => store.AddAsync(KeyNumber(3), Provider(NewPeer()), Token));
        await Assert.ThrowsAsync<StoreLimitException>(() => store.AddAsync(KeyNumber(4), Provider(NewPeer()), Token));
        await store.AddAsync(KeyNumber(1), Provider(NewPeer()), Token);

        Assert.Equal(4, store.EntryCount);
        Assert.Equal(2, (await store.GetAsync(KeyNumber(1), 10, Token)).Count);
    }

    [Fact]
    public async Task Addresses_per_provider_are_bounded_and_deduplicated()
    {
        await using var store = await OpenAsync(new SqliteProviderStoreOptions { MaxAddressesPerProvider = 2 });

        await store.AddAsync(Cid, Provider(NewPeer(), "/ip4/1.1.1.1/tcp/1", "/ip4/1.1.1.1/tcp/1", "/ip4/2.2.2.2/tcp/2", "/ip4/3.3.3.3/tcp/3"), Token);

        Assert.Equal(
            [Multiaddress.Parse("/ip4/1.1.1.1/tcp/1"), Multiaddress.Parse("/ip4/2.2.2.2/tcp/2")],
            Assert.Single(await store.GetAsync(Cid, 10, Token)).Addresses);
    }

    [Fact]
    public async Task Keys_over_80_bytes_and_empty_keys_are_refused()
    {
        await using var store = await OpenAsync();

        await store.AddAsync(new byte[80], Provider(NewPeer()), Token);
        await Assert.ThrowsAsync<StoreLimitException>(() => store.AddAsync(new byte[81], Provider(NewPeer()), Token));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddAsync([], Provider(NewPeer()), Token));
        Assert.Equal(1, store.EntryCount);
    }

    [Fact]
    public async Task A_new_store_on_the_same_file_keeps_everything()
    {
        var providers = Enumerable.Range(0, 20).Select(i => Provider(NewPeer(), $"/ip4/10.0.0.{i}/tcp/4001")).ToList();
        await using (var store = await OpenAsync())
        {
            for (var i = 0; i < providers.Count; i++)
            {
                await store.AddAsync(KeyNumber(i % 4), providers[i], Token);
            }
        }

        await using var reopened = await OpenAsync();

        Assert.Equal(4, reopened.KeyCount);
        Assert.Equal(20, reopened.EntryCount);
        for (var k = 0; k < 4; k++)
        {
            var expected = providers.Where((_, i) => i % 4 == k).ToHashSet();
            Assert.Equal(expected, (await reopened.GetAsync(KeyNumber(k), 100, Token)).ToHashSet());
        }
    }

    [Fact]
    public async Task Parallel_adds_all_land_within_the_per_key_bound()
    {
        await using var store = await OpenAsync(new SqliteProviderStoreOptions { MaxProvidersPerKey = 10 });
        var peers = Enumerable.Range(0, 40).Select(_ => NewPeer()).ToList();

        await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(async () =>
        {
            await store.AddAsync(KeyNumber(i % 20), Provider(peers[i % 40], "/ip4/127.0.0.1/tcp/1"), Token);
            await store.GetAsync(KeyNumber((i * 3) % 20), 5, Token);
        })));

        Assert.Equal(20, store.KeyCount);
        Assert.Equal(40, store.EntryCount);
        await using var reopened = await OpenAsync();
        Assert.Equal(40, reopened.EntryCount);
    }

    [Fact]
    public async Task Malformed_rows_are_skipped_and_pruned()
    {
        var good = Provider(NewPeer(), "/ip4/127.0.0.1/tcp/1");
        var other = NewPeer();
        await using (var store = await OpenAsync())
        {
            await store.AddAsync(Cid, good, Token);
        }
        var withBadAddress = new Protos.Message.Types.Peer { Id = ByteString.CopyFrom(other.ToBytes()) };
        withBadAddress.Addrs.Add(ByteString.CopyFrom(0xff, 0xff));
        withBadAddress.Addrs.Add(ByteString.CopyFrom(Multiaddress.Parse("/ip4/1.2.3.4/tcp/5").ToBytes()));
        var now = Start.ToUnixTimeMilliseconds();
        _database.Execute(
            """
            INSERT INTO kad_providers VALUES
                ($key, x'01', x'ffff', $now),
                ($key, x'02', 'text', $now),
                ($key, x'03', x'0a0103', $now),
                ($key, $otherId, $badAddress, $now),
                ($key, x'04', x'0a00', 'soon'),
                ($key, x'05', $wrongId, $now)
            """,
            ("$key", Cid), ("$now", now), ("$otherId", other.ToBytes()), ("$badAddress", withBadAddress.ToByteArray()),
            ("$wrongId", new Protos.Message.Types.Peer { Id = ByteString.CopyFrom(good.PeerId.ToBytes()) }.ToByteArray()));

        await using var reopened = await OpenAsync();
        var providers = await reopened.GetAsync(Cid, 100, Token);

        Assert.Equal(7, reopened.EntryCount);
        Assert.Equal(2, providers.Count);
        Assert.Contains(providers, p => p.PeerId == good.PeerId && p.Addresses.SequenceEqual(good.Addresses));
        Assert.Contains(providers, p => p.PeerId == other && p.Addresses.SequenceEqual([Multiaddress.Parse("/ip4/1.2.3.4/tcp/5")]));
        Assert.Equal(1, await reopened.PruneExpiredAsync(Token));
        await reopened.AddAsync(Cid, Provider(NewPeer()), Token);
        Assert.Equal(3, (await reopened.GetAsync(Cid, 100, Token)).Count);
    }
}
