using Dione.Kademlia;
using Dione.Libp2p.Identity;
using Dione.Messaging.Protos;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Node;
using Dione.Messenger.Tests.TestSupport;
using Google.Protobuf;

namespace Dione.Messenger.Tests.Mailbox;

/// <summary>Envelopes stored at the r closest Dione peers of a real overlay on 127.0.0.1, fetched back, and deleted for good.</summary>
public sealed class MailboxSwarmTests
{
    [Fact]
    public async Task An_envelope_is_stored_at_the_r_closest_peers_and_survives_losing_all_but_one()
    {
        var ct = Timeouts.Token();
        await using var swarm = await MailboxSwarm.StartAsync(count: 10, replication: 3, ct);
        var sender = swarm.Nodes[1].Mailbox;
        var receiver = swarm.Nodes[2].Mailbox;
        var (envelope, _) = TestEnvelopes.Create(DateTimeOffset.UtcNow);
        var address = envelope.Address.ToByteArray();
        var target = KadId.FromKey(address);
        var expected = swarm.Nodes.Select(n => n.Host.PeerId)
            .OrderBy(KadId.FromPeerId, Comparer<KadId>.Create(target.CompareDistance)).Take(3).ToHashSet();

        var result = await sender.Client.StoreAsync(envelope.ToByteArray(), address, MailboxTraffic.Sessions, ct);

        Assert.True(result.Complete, string.Join("; ", result.Failures.Select(f => $"{f.Key}: {f.Value}")));
        Assert.Equal(expected, result.Acknowledged.ToHashSet());
        Assert.Equal(envelope.ToByteArray(), Assert.Single(await receiver.Client.FetchAsync([address], MailboxTraffic.Sessions, ct)));

        var holders = swarm.Nodes.Where(n => expected.Contains(n.Host.PeerId)).ToList();
        var fetcher = swarm.Nodes.First(n => !expected.Contains(n.Host.PeerId)).Mailbox;
        foreach (var stopped in holders.SkipLast(1))
        {
            await swarm.StopNodeAsync(stopped);
        }

        Assert.Equal(envelope.ToByteArray(), Assert.Single(await fetcher.Client.FetchAsync([address], MailboxTraffic.Sessions, ct)));
    }

    [Fact]
    public async Task A_store_that_reached_no_other_node_is_not_complete_until_the_node_has_joined()
    {
        // A daemon that has just restarted has no overlay peers yet: its first send used to be stored on itself only,
        // counted as complete ("1 of 1 holders") and never stored anywhere else (found by scripts/soak-messaging.sh).
        var ct = Timeouts.Token();
        await using var swarm = await MailboxSwarm.StartAsync(count: 1, replication: 3, ct);
        var alone = swarm.Nodes[0].Mailbox.Client;
        var (envelope, _) = TestEnvelopes.Create(DateTimeOffset.UtcNow);

        var result = await alone.StoreAsync(envelope.ToByteArray(), envelope.Address.ToByteArray(), MailboxTraffic.Sessions, ct);

        Assert.Equal([swarm.Nodes[0].Host.PeerId], result.Acknowledged);
        Assert.Equal(3, result.Wanted);
        Assert.False(result.Complete);

        await swarm.AddNodeAsync(cancellationToken: ct);
        var again = await alone.StoreAsync(envelope.ToByteArray(), envelope.Address.ToByteArray(), MailboxTraffic.Sessions, ct);
        Assert.True(again.Complete, $"{again.Acknowledged.Count} of {again.Wanted}");
        Assert.Equal(2, again.Wanted); // every Dione node there is, when there are fewer than r
    }

    [Fact]
    public async Task Fetch_finds_every_envelope_even_when_the_receivers_table_is_missing_its_holders()
    {
        // Buckets of 3 in a 16-node swarm: the wide buckets turn peers away, so a receiver's own table often does not
        // name an address's true holders and polling must look them up.
        var ct = Timeouts.Token();
        await using var swarm = await MailboxSwarm.StartAsync(count: 16, replication: 2, ct, bucketSize: 3);
        var sender = swarm.Nodes[1].Mailbox;
        var receiver = swarm.Nodes[2].Mailbox;
        var addresses = new List<byte[]>();
        for (var i = 0; i < 30; i++)
        {
            var (envelope, _) = TestEnvelopes.Create(DateTimeOffset.UtcNow);
            var result = await sender.Client.StoreAsync(envelope.ToByteArray(), envelope.Address.ToByteArray(), MailboxTraffic.Sessions, ct);
            Assert.True(result.Acknowledged.Count > 0);
            addresses.Add(envelope.Address.ToByteArray());
        }

        var found = await receiver.Client.FetchAsync(addresses, MailboxTraffic.Sessions, ct);

        Assert.Equal(30, found.Count);
    }

    [Fact]
    public async Task A_watch_hears_an_envelope_at_holders_its_routing_table_does_not_name()
    {
        // The watch starts waiting where the receiver's table places an address and looks the address up meanwhile:
        // with buckets of 3 in a 16-node swarm the table misses the true holders of some addresses, and the waits the
        // lookup adds must hear the envelope there.
        var ct = Timeouts.Token();
        await using var swarm = await MailboxSwarm.StartAsync(count: 16, replication: 2, ct, bucketSize: 3);
        var sender = swarm.Nodes[1];
        var receiver = swarm.Nodes[2];
        var (envelope, address) = EnvelopeTheTableMisplaces(swarm, sender, receiver, replication: 2);

        var watch = receiver.Mailbox.Client.WaitForEnvelopesAsync([address], MailboxTraffic.Sessions, Timeouts.Test, ct);
        var stored = await sender.Mailbox.Client.StoreAsync(envelope, address, MailboxTraffic.Sessions, ct);

        Assert.True(stored.Acknowledged.Count > 0);
        Assert.Equal(envelope, Assert.Single(await watch.WaitAsync(Timeouts.Test, ct)));
    }

    [Fact]
    public async Task A_deletion_reaches_a_holder_that_received_a_replica_after_it_and_the_envelope_does_not_come_back()
    {
        var ct = Timeouts.Token();
        await using var swarm = await MailboxSwarm.StartAsync(count: 8, replication: 3, ct);
        var (envelope, token) = TestEnvelopes.Create(DateTimeOffset.UtcNow);
        var bytes = envelope.ToByteArray();
        var address = envelope.Address.ToByteArray();
        var target = KadId.FromKey(address);
        var byDistance = swarm.Nodes.OrderBy(n => KadId.FromPeerId(n.Host.PeerId), Comparer<KadId>.Create(target.CompareDistance)).ToList();
        var (first, second, latecomer, stale) = (byDistance[0], byDistance[1], byDistance[2], byDistance[3]);
        var reader = byDistance[^1];
        // Two holders took the envelope; a former holder, no longer among the closest, still keeps a copy; the third
        // holder has none yet.
        foreach (var node in new[] { first, second, stale })
        {
            Assert.True((await node.Mailbox.Store.StoreAsync(bytes, allowance: null, ct)).IsOk);
        }

        Assert.Equal(2, await reader.Mailbox.Client.DeleteAsync(address, token, MailboxTraffic.Sessions, ct));
        // The former holder missed the deletion and re-replicates: the holders that deleted it refuse it, but the third
        // takes it (it never saw the DELETE).
        await stale.Mailbox.Client.RereplicateAsync(ct);
        Assert.Equal(1, latecomer.Mailbox.Store.Count);
        Assert.Equal(0, first.Mailbox.Store.Count + second.Mailbox.Store.Count);

        Assert.Equal(1, await first.Mailbox.Client.PropagateDeletionsAsync(ct));

        Assert.Equal(0, latecomer.Mailbox.Store.Count);
        Assert.Equal(1, latecomer.Mailbox.Store.Tombstones);
        Assert.Equal(0, await stale.Mailbox.Client.RereplicateAsync(ct));
        Assert.Empty(await reader.Mailbox.Client.FetchAsync([address], MailboxTraffic.Sessions, ct));
        Assert.Equal(0, await second.Mailbox.Client.PropagateDeletionsAsync(ct));
    }

    [Fact]
    public async Task Holders_delete_by_themselves_the_replica_a_node_joining_the_closest_set_got_after_the_deletion()
    {
        var ct = Timeouts.Token();
        await using var swarm = await MailboxSwarm.StartAsync(count: 5, replication: 3, ct, rereplicationInterval: TimeSpan.FromMilliseconds(300));
        var newcomerKey = PrivateKey.Generate();
        var newcomerId = PeerId.FromPublicKey(newcomerKey.PublicKey);
        var (envelope, token) = EnvelopeClosestTo(newcomerId, swarm);
        var address = envelope.Address.ToByteArray();
        var writer = swarm.Nodes[0].Mailbox.Client;
        Assert.True((await writer.StoreAsync(envelope.ToByteArray(), address, MailboxTraffic.Sessions, ct)).Complete);
        Assert.Equal(3, await writer.DeleteAsync(address, token, MailboxTraffic.Sessions, ct));
        Assert.All(swarm.Nodes, n => Assert.Equal(0, n.Mailbox.Store.Count));

        // A node joins closer to the address than every holder, and a replica reaches it (from a holder that missed the
        // deletion). Its rounds offer it to the others in vain; theirs send it the DELETE.
        var newcomer = await swarm.AddNodeAsync(options => options with { Identity = newcomerKey }, cancellationToken: ct);
        Assert.True((await newcomer.Mailbox.Store.StoreAsync(envelope.ToByteArray(), allowance: null, ct)).IsOk);
        while (newcomer.Mailbox.Store.Count > 0)
        {
            await Task.Delay(20, ct);
        }

        Assert.Equal(1, newcomer.Mailbox.Store.Tombstones);
        Assert.All(swarm.Nodes, n => Assert.Equal(0, n.Mailbox.Store.Count));
        Assert.Empty(await writer.FetchAsync([address], MailboxTraffic.Sessions, ct));
    }

    /// <summary>A fresh envelope whose address <paramref name="peer"/> is closer to than every node of <paramref name="swarm"/>.</summary>
    private static (DioneEnvelope Envelope, byte[] Token) EnvelopeClosestTo(PeerId peer, LocalSwarm swarm)
    {
        while (true)
        {
            var (envelope, token) = TestEnvelopes.Create(DateTimeOffset.UtcNow);
            var target = KadId.FromKey(envelope.Address.ToByteArray());
            if (swarm.Nodes.All(n => target.CompareDistance(KadId.FromPeerId(peer), KadId.FromPeerId(n.Host.PeerId)) < 0))
            {
                return (envelope, token);
            }
        }
    }

    /// <summary>
    /// A fresh envelope whose address's true holders (neither the sender nor the receiver among them) are all missing
    /// from where <paramref name="receiver"/>'s table places it.
    /// </summary>
    private static (byte[] Envelope, byte[] Address) EnvelopeTheTableMisplaces(LocalSwarm swarm, DioneNode sender, DioneNode receiver, int replication)
    {
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            var (envelope, _) = TestEnvelopes.Create(DateTimeOffset.UtcNow);
            var address = envelope.Address.ToByteArray();
            var target = KadId.FromKey(address);
            var holders = swarm.Nodes.Select(n => n.Host.PeerId)
                .OrderBy(KadId.FromPeerId, Comparer<KadId>.Create(target.CompareDistance)).Take(replication).ToHashSet();
            if (!holders.Contains(sender.Host.PeerId) && !holders.Contains(receiver.Host.PeerId) && !receiver.Overlay.KnownHolders(address).Any(holders.Contains))
            {
                return (envelope.ToByteArray(), address);
            }
        }
        throw new InvalidOperationException("every address's holders were in the receiver's table; the swarm is too small for this test");
    }
}
