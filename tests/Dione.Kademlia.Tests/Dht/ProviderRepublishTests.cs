using Dione.Kademlia.Dht;
using Dione.Kademlia.Tests.TestSupport;

namespace Dione.Kademlia.Tests.Dht;

/// <summary>Keys we provide are announced again once their last announcement is old enough, across restarts.</summary>
public sealed class ProviderRepublishTests
{
    private static readonly byte[] Cid = [0x12, 0x20, .. Enumerable.Range(1, 32).Select(i => (byte)i)];

    [Fact]
    public async Task A_provided_key_is_announced_again_after_the_interval()
    {
        await using var peer = await KadTestNode.StartAsync();
        var adds = AddsFrom(peer);
        var options = new KademliaDhtOptions
        {
            Mode = DhtMode.Server,
            Kad = new KadOptions { AllowPrivateAddresses = true },
            ProviderRepublishInterval = TimeSpan.FromMilliseconds(300),
            ProviderRepublishCheckInterval = TimeSpan.FromMilliseconds(50),
        };
        await using var us = await DhtTestNode.StartAsync(options);
        Assert.Equal(1, await us.Dht.BootstrapAsync([peer.DialAddress], Timeouts.Token()));

        Assert.Contains(peer.PeerId, (await us.Dht.ProvideAsync(Cid, cancellationToken: Timeouts.Token())).Stored);
        await adds.WaitForAsync(1);

        // No further call: the background loop announces the key again, and again.
        await adds.WaitForAsync(3);
        Assert.All(adds.Providers, p => Assert.Equal(us.PeerId, p));
    }

    [Fact]
    public async Task A_restarted_node_announces_again_what_it_provided_once_due_and_not_before()
    {
        using var database = new Records.TempDatabase();
        await using var peer = await KadTestNode.StartAsync();
        var adds = AddsFrom(peer);
        var clock = new ManualTimeProvider();
        var options = new KademliaDhtOptions
        {
            Mode = DhtMode.Server,
            DatabasePath = database.Path,
            Kad = new KadOptions { AllowPrivateAddresses = true, TimeProvider = clock },
        };
        var first = await DhtTestNode.StartAsync(options);
        var identity = first.Identity;
        try
        {
            Assert.Equal(1, await first.Dht.BootstrapAsync([peer.DialAddress], Timeouts.Token()));
            Assert.Contains(peer.PeerId, (await first.Dht.ProvideAsync(Cid, cancellationToken: Timeouts.Token())).Stored);
            await adds.WaitForAsync(1);
        }
        finally
        {
            await first.DisposeAsync();
        }

        // An hour later: the key is not due, and the look that follows the bootstrap announces nothing.
        clock.Advance(TimeSpan.FromHours(1));
        await using var second = await DhtTestNode.StartAsync(options, identity);
        var looked = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        second.Dht.ProvidersRepublished += (_, count) => looked.TrySetResult(count);
        Assert.Equal(1, await second.Dht.BootstrapAsync([peer.DialAddress], Timeouts.Token()));
        Assert.Equal(0, await looked.Task.WaitAsync(Timeouts.Test));
        Assert.Equal(1, adds.Count);

        // 22 hours after the announcement it is due: announced again without being asked.
        clock.Advance(TimeSpan.FromHours(21));
        Assert.Equal(1, await second.Dht.RepublishDueProvidersAsync(Timeouts.Token()));
        await adds.WaitForAsync(2);
        Assert.Equal(0, await second.Dht.RepublishDueProvidersAsync(Timeouts.Token()));

        // Once stopped, it is never announced again.
        Assert.True(await second.Dht.StopProvidingAsync(Cid, Timeouts.Token()));
        clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(0, await second.Dht.RepublishDueProvidersAsync(Timeouts.Token()));
        Assert.Equal(2, adds.Count);
    }

    private static AddCounter AddsFrom(KadTestNode peer)
    {
        var counter = new AddCounter();
        peer.Providers.Added += (key, provider) =>
        {
            if (key.AsSpan().SequenceEqual(Cid))
            {
                counter.Add(provider.PeerId);
            }
        };
        return counter;
    }

    /// <summary>ADD_PROVIDER arrivals for <see cref="Cid"/>, awaitable by count.</summary>
    private sealed class AddCounter
    {
        private readonly object _gate = new();
        private readonly List<Libp2p.Identity.PeerId> _providers = [];
        private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _providers.Count;
                }
            }
        }

        public IReadOnlyList<Libp2p.Identity.PeerId> Providers
        {
            get
            {
                lock (_gate)
                {
                    return [.. _providers];
                }
            }
        }

        public void Add(Libp2p.Identity.PeerId provider)
        {
            lock (_gate)
            {
                _providers.Add(provider);
                foreach (var (count, done) in _waiters.Where(w => w.Count <= _providers.Count))
                {
                    done.TrySetResult();
                }
            }
        }

        public Task WaitForAsync(int count)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                if (_providers.Count >= count)
                {
                    return Task.CompletedTask;
                }
                _waiters.Add((count, done));
            }
            return done.Task.WaitAsync(Timeouts.Test);
        }
    }
}
