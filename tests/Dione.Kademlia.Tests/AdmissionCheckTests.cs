using Dione.Kademlia.Protos;
using Dione.Kademlia.Tests.TestSupport;
using Dione.Libp2p.Host;
using Dione.Libp2p.Identity;

namespace Dione.Kademlia.Tests;

/// <summary>
/// A newcomer that advertises the DHT protocol enters the table only after answering a FIND_NODE of its own id, as
/// go-libp2p-kad-dht's lookupCheck requires.
/// </summary>
public class AdmissionCheckTests
{
    [Fact]
    public async Task A_server_that_answers_is_checked_then_added()
    {
        await using var us = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client });
        await using var server = await KadTestNode.StartAsync();
        await using var manager = new RoutingTableManager(us.Host, us.Table, us.Client, us.Options);
        var events = new List<string>();
        manager.AdmissionChecked += (_, e) =>
        {
            lock (events)
            {
                events.Add(e.Peer == server.PeerId ? $"checked {e.Answered}" : "other");
            }
        };
        manager.PeerAdded += (_, p) =>
        {
            lock (events)
            {
                events.Add(p == server.PeerId ? "added" : "other");
            }
        };

        // Handlers run in the order they were added: the recorder must see the event before the waiter wakes us.
        var added = WhenAdded(manager, server.PeerId);
        manager.Start();

        await us.ConnectAsync(server);

        await added.WaitAsync(Timeouts.Test);
        Assert.True(us.Table.Contains(server.PeerId));
        lock (events)
        {
            Assert.Equal(["checked True", "added"], events);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_peer_that_advertises_the_protocol_but_resets_every_request_is_kept_out_unless_checks_are_off(bool check)
    {
        await using var us = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client, AdmissionCheck = check });
        await using var impostor = await ScriptedServerAsync((stream, _) =>
        {
            stream.Reset();
            return Task.CompletedTask;
        });
        await using var manager = new RoutingTableManager(us.Host, us.Table, us.Client, us.Options);
        var checkedImpostor = WhenChecked(manager, impostor.PeerId);
        var added = WhenAdded(manager, impostor.PeerId);
        manager.Start();

        var identified = KadTestNode.WhenIdentified(us.Host, impostor.PeerId, i => i.Protocols.Contains(KademliaDefaults.ProtocolId));
        await us.Host.DialAsync(impostor.ListenAddresses[0].WithPeerId(impostor.PeerId), Timeouts.Token());
        await identified.WaitAsync(Timeouts.Test);

        if (check)
        {
            Assert.False(await checkedImpostor.WaitAsync(Timeouts.Test));
            Assert.False(us.Table.Contains(impostor.PeerId));
        }
        else
        {
            await added.WaitAsync(Timeouts.Test);
            Assert.False(checkedImpostor.IsCompleted);
        }
    }

    [Fact]
    public async Task Once_our_table_holds_k_peers_a_newcomer_answering_with_no_peers_is_kept_out()
    {
        await using var us = await KadTestNode.StartAsync(new KadOptions { Mode = KadMode.Client, BucketSize = 1 });
        Assert.Equal(RoutingTableAddStatus.Added, us.Table.TryAdd(RandomPeers.Next(new Random(60))).Status);
        await using var empty = await ScriptedServerAsync(async (stream, ct) =>
        {
            while (await stream.ReadMessageAsync(Message.Parser, ct) is { } request)
            {
                await stream.WriteMessageAsync(new Message { Type = request.Type, Key = request.Key }, ct);
            }
        });
        await using var manager = new RoutingTableManager(us.Host, us.Table, us.Client, us.Options);
        var checkedEmpty = WhenChecked(manager, empty.PeerId);
        manager.Start();

        await us.Host.DialAsync(empty.ListenAddresses[0].WithPeerId(empty.PeerId), Timeouts.Token());

        Assert.False(await checkedEmpty.WaitAsync(Timeouts.Test));
        Assert.False(us.Table.Contains(empty.PeerId));
        Assert.Equal(1, us.Table.Count);
    }

    [Fact]
    public async Task A_check_that_outlives_its_timeout_fails_and_newcomers_beyond_the_concurrency_bound_are_dropped()
    {
        await using var us = await KadTestNode.StartAsync(new KadOptions
        {
            Mode = KadMode.Client,
            AdmissionCheckTimeout = TimeSpan.FromMilliseconds(500),
            MaxConcurrentAdmissionChecks = 1,
        });
        await using var silent = await ScriptedServerAsync((_, ct) => Task.Delay(Timeout.Infinite, ct));
        await using var server = await KadTestNode.StartAsync();
        await using var manager = new RoutingTableManager(us.Host, us.Table, us.Client, us.Options);
        var checkedSilent = WhenChecked(manager, silent.PeerId);
        var checkedServer = WhenChecked(manager, server.PeerId);
        manager.Start();

        var silentIdentified = KadTestNode.WhenIdentified(us.Host, silent.PeerId);
        await us.Host.DialAsync(silent.ListenAddresses[0].WithPeerId(silent.PeerId), Timeouts.Token());
        await silentIdentified.WaitAsync(Timeouts.Test);
        Assert.Equal(1, manager.PendingAdmissions);
        await us.ConnectAsync(server); // identified while the only slot is taken: dropped, not queued

        Assert.False(await checkedSilent.WaitAsync(Timeouts.Test));
        Assert.False(us.Table.Contains(silent.PeerId));
        Assert.False(checkedServer.IsCompleted);
        Assert.False(us.Table.Contains(server.PeerId));

        // Identified again (as identify/push would), it is checked and added.
        manager.Consider(us.Host.Peers.Get(server.PeerId)!);
        Assert.True(await checkedServer.WaitAsync(Timeouts.Test));
        Assert.True(us.Table.Contains(server.PeerId));
    }

    private static async Task<Libp2pHost> ScriptedServerAsync(StreamHandler handler)
    {
        var host = new Libp2pHostBuilder().ListenOn("/ip4/127.0.0.1/tcp/0").WithProtocol(KademliaDefaults.ProtocolId, handler).Build();
        await host.StartAsync();
        return host;
    }

    private static Task<bool> WhenChecked(RoutingTableManager manager, PeerId peer)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        manager.AdmissionChecked += (_, e) =>
        {
            if (e.Peer == peer)
            {
                done.TrySetResult(e.Answered);
            }
        };
        return done.Task;
    }

    private static Task WhenAdded(RoutingTableManager manager, PeerId peer)
    {
        var added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        manager.PeerAdded += (_, p) =>
        {
            if (p == peer)
            {
                added.TrySetResult();
            }
        };
        return added.Task;
    }
}
