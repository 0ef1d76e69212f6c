using System.Collections.Concurrent;
using System.Text;
using Dione.Libp2p.Identity;
using Dione.Messaging.Identity;
using Dione.Messaging.Intro;
using Dione.Messenger.Conversations;
using Dione.Messenger.Protos;
using Dione.Messenger.Tests.TestSupport;

namespace Dione.Messenger.Tests.Mailbox;

/// <summary>
/// What holders see of two people's mailbox traffic, logged at every node of a swarm on 127.0.0.1: every
/// <c>/dione/1.0</c> request and every overlay FIND_NODE, with the peer that sent it (docs/protocol.md §14.6).
/// </summary>
public sealed class HolderViewTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dione-holder-view-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Holders_never_see_a_persons_own_peer_id_and_cannot_link_intro_slots_sessions_or_contacts()
    {
        var ct = Timeouts.Token();
        await using var swarm = await MailboxSwarm.StartAsync(count: 8, replication: 3, ct);
        await using var alice = await MessengerPeer.OpenAsync(swarm, Path.Combine(_directory, "alice.db"));
        await using var bob = await MessengerPeer.OpenAsync(swarm, Path.Combine(_directory, "bob.db"));
        var storeRequests = new ConcurrentQueue<(PeerId From, StoreRequest Request)>();
        var lookups = new ConcurrentQueue<(PeerId From, string Key)>();
        foreach (var node in swarm.Nodes)
        {
            node.Mailbox.Server.RequestReceived += (from, _, request) => storeRequests.Enqueue((from, request));
            node.Overlay.Dht.RequestReceived += (from, request) => lookups.Enqueue((from, Convert.ToHexString(request.Key.Span)));
        }

        await bob.Messenger.PublishPrekeysAsync(ct);
        await alice.Messenger.AddContactAsync("bob", bob.Messenger.Address, ct);
        for (var i = 0; i < 3; i++)
        {
            await alice.Messenger.SendAsync("bob", Encoding.UTF8.GetBytes($"to bob {i}"), ct);
        }
        Assert.Equal(3, (await bob.Messenger.PollAsync(ct)).Count);
        await bob.Messenger.SendAsync(alice.Messenger.Address, Encoding.UTF8.GetBytes("to alice"), ct);
        Assert.Single(await alice.Messenger.PollAsync(ct));
        var beforeWatch = storeRequests.Count;
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            alice.Messenger.MessageReceived += (_, _) => arrived.TrySetResult();
            var watching = alice.Messenger.WatchAsync(stop.Token);
            await bob.Messenger.SendAsync(alice.Messenger.Address, Encoding.UTF8.GetBytes("while alice watches"), ct);
            await arrived.Task.WaitAsync(ct);
            await stop.CancelAsync();
            await watching;
        }

        var now = DateTimeOffset.UtcNow;
        var aliceOwn = IdentityAddresses(alice.Messenger.Identity, now);
        var bobOwn = IdentityAddresses(bob.Messenger.Identity, now);
        string Kind(string address) => aliceOwn.Contains(address) ? "alice's intro slots and prekeys" : bobOwn.Contains(address) ? "bob's intro slots and prekeys" : "sessions";
        var homes = new[] { alice.Node.Host.PeerId, bob.Node.Host.PeerId };
        var ephemeral = alice.Node.Mailbox.Client.EphemeralPeers.Values.Concat(bob.Node.Mailbox.Client.EphemeralPeers.Values).ToHashSet();
        var requests = storeRequests.ToList();
        var kindsByRequester = requests
            .SelectMany(r => (r.Request.Type == StoreRequest.Types.Type.Store ? [Hex(Address(r.Request))] : r.Request.Addresses.Select(a => Convert.ToHexString(a.Span))).Select(a => (r.From, Kind: Kind(a))))
            .GroupBy(r => r.From)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Kind).Distinct().Order().ToList());
        var everyAddressAsked = requests.SelectMany(r => r.Request.Type == StoreRequest.Types.Type.Store ? [Hex(Address(r.Request))] : r.Request.Addresses.Select(a => Convert.ToHexString(a.Span)))
            .ToHashSet();

        Assert.True(requests.Count > 20 && storeRequests.Count > beforeWatch, $"{requests.Count} requests logged");
        Assert.Contains(requests, r => r.Request.Type == StoreRequest.Types.Type.Fetch && r.Request.WaitMs > 0);
        Assert.Contains(requests, r => r.Request.Type == StoreRequest.Types.Type.Delete);
        var fromHomes = requests.Count(r => homes.Contains(r.From));
        Assert.True(fromHomes == 0, $"{fromHomes} of {requests.Count} requests came from a person's own peer id");
        Assert.True(requests.All(r => ephemeral.Contains(r.From)), "a request came from a peer that is no throwaway identity of Alice or Bob");
        Assert.Equal(5, ephemeral.Count); // one per kind of traffic each used (Bob contacted nobody), none shared
        Assert.True(kindsByRequester.Values.All(kinds => kinds.Count == 1),
            "one peer id asked for several kinds: " + string.Join("; ", kindsByRequester.Values.Where(k => k.Count > 1).Select(k => string.Join(" + ", k))));
        Assert.Equal(3, kindsByRequester.Values.Select(k => k[0]).Distinct().Count());
        var mailboxLookups = lookups.Where(l => everyAddressAsked.Contains(l.Key)).ToList();
        Assert.True(mailboxLookups.Count > 0, $"{lookups.Count} lookups: {string.Join(", ", lookups.Take(5).Select(l => l.Key))}; asked {string.Join(", ", everyAddressAsked.Take(3))}");
        var lookupsFromHomes = mailboxLookups.Count(l => homes.Contains(l.From));
        Assert.True(lookupsFromHomes == 0, $"{lookupsFromHomes} of {mailboxLookups.Count} lookups for mailbox addresses came from a person's own peer id");
        Assert.All(swarm.Nodes, node => Assert.DoesNotContain(node.Overlay.Dht.RoutingTable.NearestPeers(Dione.Kademlia.KadId.FromPeerId(node.Host.PeerId), 1000),
            entry => ephemeral.Contains(entry.PeerId)));
    }

    private static HashSet<string> IdentityAddresses(IdentityKey identity, DateTimeOffset now) =>
        [.. new IntroAddresses().PollAddresses(identity, now).Select(a => Convert.ToHexString(a.Address)),
            .. PrekeyAddresses.ToFetch(identity, now).Select(a => Convert.ToHexString(a.Address))];

    private static byte[] Address(StoreRequest store) => Dione.Messaging.Protos.DioneEnvelope.Parser.ParseFrom(store.Envelope).Address.ToByteArray();

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes);
}
