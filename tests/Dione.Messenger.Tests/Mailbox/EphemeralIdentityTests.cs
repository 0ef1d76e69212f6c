using System.Security.Cryptography;
using Dione.Messenger.Mailbox;
using Dione.Messenger.Tests.TestSupport;
using Google.Protobuf;

namespace Dione.Messenger.Tests.Mailbox;

/// <summary>The throwaway identities a node's mailbox traffic goes out under: replaced daily, their idle connections capped.</summary>
public sealed class EphemeralIdentityTests
{
    [Fact]
    public async Task Each_kind_of_traffic_gets_its_own_identity_which_a_fresh_one_replaces_after_a_day()
    {
        var ct = Timeouts.Token();
        var clock = new ManualTimeProvider();
        await using var swarm = await MailboxSwarm.StartAsync(count: 5, replication: 3, ct);
        var node = await swarm.AddNodeAsync(o => o with { Time = clock }, cancellationToken: ct);
        var client = node.Mailbox.Client;
        byte[][] someAddress = [RandomNumberGenerator.GetBytes(32)];

        await client.FetchAsync(someAddress, MailboxTraffic.Sessions, ct);
        await client.FetchAsync(someAddress, MailboxTraffic.Introductions, ct);
        var first = client.EphemeralPeers;
        clock.Advance(TimeSpan.FromHours(23));
        await client.FetchAsync(someAddress, MailboxTraffic.Sessions, ct);
        var anHourBefore = client.EphemeralPeers[MailboxTraffic.Sessions];
        clock.Advance(TimeSpan.FromHours(2));
        await client.FetchAsync(someAddress, MailboxTraffic.Sessions, ct);
        var replaced = client.EphemeralPeers[MailboxTraffic.Sessions];

        Assert.NotEqual(first[MailboxTraffic.Sessions], first[MailboxTraffic.Introductions]);
        Assert.DoesNotContain(node.Host.PeerId, first.Values);
        Assert.Equal(first[MailboxTraffic.Sessions], anHourBefore);
        Assert.NotEqual(anHourBefore, replaced);
        Assert.NotEqual(node.Host.PeerId, replaced);
        // The retired identity is gone: no holder keeps a connection from it.
        await Eventually.TrueAsync(() => swarm.Nodes.All(n => n.Host.FindConnection(anHourBefore) is null), ct);
    }

    [Fact]
    public async Task Idle_connections_beyond_the_cap_are_closed_and_requests_still_reach_every_holder()
    {
        var ct = Timeouts.Token();
        await using var swarm = await MailboxSwarm.StartAsync(count: 8, replication: 3, ct);
        var node = await swarm.AddNodeAsync(o => o with { Mailbox = o.Mailbox with { MaxEphemeralConnections = 2 } }, cancellationToken: ct);
        var sender = swarm.Nodes[1].Mailbox.Client;
        var stored = new List<byte[]>();
        for (var i = 0; i < 12; i++)
        {
            var (envelope, _) = TestEnvelopes.Create(DateTimeOffset.UtcNow);
            Assert.True((await sender.StoreAsync(envelope.ToByteArray(), envelope.Address.ToByteArray(), MailboxTraffic.Sessions, ct)).Complete);
            stored.Add(envelope.Address.ToByteArray());
        }

        var found = await node.Mailbox.Client.FetchAsync(stored, MailboxTraffic.Sessions, ct);
        var peak = node.Mailbox.Client.EphemeralConnections;
        await Eventually.TrueAsync(
            async () =>
            {
                // Each request's end closes idle connections beyond the cap (those older than a moment).
                await node.Mailbox.Client.FetchAsync([stored[0]], MailboxTraffic.Sessions, ct);
                return node.Mailbox.Client.EphemeralConnections <= 3;
            },
            ct);

        Assert.Equal(12, found.Count);
        Assert.True(peak > 3, $"only {peak} connections were opened: the cap was never exceeded");
        Assert.Single(await node.Mailbox.Client.FetchAsync([stored[^1]], MailboxTraffic.Sessions, ct));
    }
}
