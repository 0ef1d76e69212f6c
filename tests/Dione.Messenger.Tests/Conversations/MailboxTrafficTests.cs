using System.Text;
using Dione.Messaging.Identity;
using Dione.Messaging.Intro;
using Dione.Messenger.Conversations;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Tests.TestSupport;

namespace Dione.Messenger.Tests.Conversations;

/// <summary>
/// The messenger tells the mailbox which kind of traffic each request is (docs/protocol.md §14.6), and never mixes
/// kinds in one request: the mailbox sends each kind under its own throwaway identity.
/// </summary>
public sealed class MailboxTrafficTests
{
    [Fact]
    public async Task Every_request_carries_addresses_of_the_one_kind_it_declares()
    {
        var ct = Timeouts.Token();
        await using var people = await AliceAndBob.StartAsync(replication: 3);
        var (alice, bob) = (people.Alice.Messenger, people.Bob.Messenger);
        await alice.SendAsync("bob", Encoding.UTF8.GetBytes("first, in a carrier"), ct);
        await alice.SendAsync("bob", Encoding.UTF8.GetBytes("second, at a session address"), ct);
        Assert.Equal(2, (await bob.PollAsync(ct)).Count);
        await bob.SendAsync(alice.Address, Encoding.UTF8.GetBytes("a reply"), ct);
        Assert.Single(await alice.WatchOnceAsync(Timeouts.Test, ct));
        await bob.PublishPrekeysAsync(ct); // deletes the publication it replaces first

        var now = DateTimeOffset.UtcNow;
        var aliceOwn = IdentityAddresses(alice.Identity, now);
        var bobOwn = IdentityAddresses(bob.Identity, now);
        string KindOf(string address) => aliceOwn.Contains(address) ? "alice's" : bobOwn.Contains(address) ? "bob's" : "session";
        var requests = people.Mailbox.Requests;
        var described = requests.Select(r => (r.Operation, r.Traffic, Kinds: r.Addresses.Select(KindOf).Distinct().Order().ToList())).ToList();

        Assert.All(described, r => Assert.Single(r.Kinds));
        Assert.All(described.Where(r => r.Traffic == MailboxTraffic.Sessions), r => Assert.Equal("session", r.Kinds[0]));
        Assert.All(described.Where(r => r.Traffic != MailboxTraffic.Sessions), r => Assert.NotEqual("session", r.Kinds[0]));
        // Seen from the requests alone: Alice's intro traffic is about her, her contacting traffic about Bob.
        Assert.Contains(described, r => r is { Operation: "FETCH", Traffic: MailboxTraffic.Contacting } && r.Kinds[0] == "bob's");
        Assert.Contains(described, r => r is { Operation: "STORE", Traffic: MailboxTraffic.Contacting } && r.Kinds[0] == "bob's");
        Assert.Contains(described, r => r is { Operation: "WAIT", Traffic: MailboxTraffic.Introductions } && r.Kinds[0] == "alice's");
        Assert.Contains(described, r => r is { Operation: "WAIT", Traffic: MailboxTraffic.Sessions });
        Assert.Contains(described, r => r is { Operation: "DELETE", Traffic: MailboxTraffic.Introductions } && r.Kinds[0] == "bob's");
        Assert.Contains(described, r => r is { Operation: "DELETE", Traffic: MailboxTraffic.Sessions });
        Assert.Contains(described, r => r is { Operation: "STORE", Traffic: MailboxTraffic.Sessions });
    }

    private static HashSet<string> IdentityAddresses(IdentityKey identity, DateTimeOffset now) =>
        [.. new IntroAddresses().PollAddresses(identity, now).Select(a => Convert.ToHexString(a.Address)),
            .. PrekeyAddresses.ToFetch(identity, now).Select(a => Convert.ToHexString(a.Address))];
}
