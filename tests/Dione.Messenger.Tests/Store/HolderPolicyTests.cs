using Dione.Kademlia;
using Dione.Messenger.Store;
using Dione.Messenger.Tests.TestSupport;

namespace Dione.Messenger.Tests.Store;

public class HolderPolicyTests
{
    [Fact]
    public void A_node_that_knows_fewer_peers_than_the_slack_holds_everything()
    {
        var table = new RoutingTable(TestPeers.Random());
        for (var i = 0; i < 5; i++)
        {
            table.TryAdd(TestPeers.Random());
        }
        var policy = new HolderPolicy(table, slack: 10);

        for (var i = 0; i < 100; i++)
        {
            Assert.True(policy.Holds(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        }
    }

    [Fact]
    public void In_a_large_table_a_node_holds_exactly_the_addresses_it_ranks_among_the_closest_for()
    {
        var self = TestPeers.Random();
        var table = new RoutingTable(self);
        var peers = Enumerable.Range(0, 400).Select(_ => TestPeers.Random()).ToList();
        foreach (var peer in peers)
        {
            table.TryAdd(peer);
        }
        var known = table.GetAll().Select(e => e.Id).ToList();
        var selfId = KadId.FromPeerId(self);
        var policy = new HolderPolicy(table, slack: 10);
        var held = 0;

        for (var i = 0; i < 500; i++)
        {
            var address = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
            var target = KadId.FromKey(address);
            var closerThanSelf = known.Count(id => target.IsCloser(id, selfId));
            Assert.Equal(closerThanSelf < 10, policy.Holds(address));
            held += policy.Holds(address) ? 1 : 0;
        }

        Assert.InRange(held, 1, 499); // the rule both grants and refuses
    }
}
