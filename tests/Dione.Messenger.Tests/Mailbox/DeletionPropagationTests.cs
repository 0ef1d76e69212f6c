using Dione.Kademlia;
using Dione.Messenger.Tests.TestSupport;
using Google.Protobuf;

namespace Dione.Messenger.Tests.Mailbox;

/// <summary>
/// A deleted envelope stays deleted on a real overlay on 127.0.0.1 (docs/protocol.md §14.5, "Deletion"): holders that
/// deleted it refuse it when it is re-replicated, and send the DELETE on to the current holders of its address.
/// </summary>
public sealed class DeletionPropagationTests
{
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
            Assert.True((await node.Mailbox.Store.StoreAsync(reader.Host.PeerId, bytes, ct)).IsOk);
        }

        Assert.Equal(2, await reader.Mailbox.Client.DeleteAsync(address, token, ct));
        // The former holder missed the deletion and re-replicates: the holders that deleted it refuse it, but the third
        // takes it (it never saw the DELETE).
        await stale.Mailbox.Client.RereplicateAsync(ct);
        Assert.Equal(1, latecomer.Mailbox.Store.Count);
        Assert.Equal(0, first.Mailbox.Store.Count + second.Mailbox.Store.Count);

        Assert.Equal(1, await first.Mailbox.Client.PropagateDeletionsAsync(ct));

        Assert.Equal(0, latecomer.Mailbox.Store.Count);
        Assert.Equal(1, latecomer.Mailbox.Store.Tombstones);
        Assert.Equal(0, await stale.Mailbox.Client.RereplicateAsync(ct));
        Assert.Empty(await reader.Mailbox.Client.FetchAsync([address], ct));
        Assert.Equal(0, await second.Mailbox.Client.PropagateDeletionsAsync(ct));
    }
}
